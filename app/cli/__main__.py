"""``python -m app.cli``: the same as the ``influmix`` command."""

from app.cli import main

main()
