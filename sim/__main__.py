"""``python -m sim`` runs the ``runesim`` command line."""

from sim.cli.app import main

if __name__ == "__main__":
    main()
