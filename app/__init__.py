"""The influmix HTTP service: plans solved by the optimizer and stored in a database."""
