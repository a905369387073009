"""`python -m miner` and the `miner` command run the CLI."""

import gc
import sys


def run() -> None:
    """The CLI; `miner query` first starts its query worker, which then starts up beside the
    command line's own start-up instead of after it (:mod:`miner.store.spawn`). Once the command is
    done, what it built is left out of the interpreter's collections at exit (``gc.freeze``): the
    process ends and the system takes its memory back, while a last collection walking every
    object left (spaCy's, after a build) cost about 0.5 s of CPU at the end of each build."""
    if sys.argv[1:2] == ["query"]:
        from miner.store.spawn import prestart

        prestart()
    from miner.cli.app import main

    try:
        main()
    finally:
        gc.freeze()


if __name__ == "__main__":
    run()
