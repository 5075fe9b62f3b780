"""Use cases of the service; each reads top to bottom and owns no transaction."""
