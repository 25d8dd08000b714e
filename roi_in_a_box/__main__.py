"""``python -m roi_in_a_box`` runs the CLI."""

from .cli import main

main()
