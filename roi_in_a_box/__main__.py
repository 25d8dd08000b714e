"""``python -m roi_in_a_box`` runs the CLI."""

from .cli import main

if __name__ == "__main__":  # spawned worker processes (Dask) import this module as __mp_main__
    main()
