"""`python -m miner` and the `miner` command run the CLI."""

import sys


def run() -> None:
    """The CLI; `miner query` first starts its query worker, which then starts up beside the
    command line's own start-up instead of after it (:mod:`miner.store.spawn`)."""
    if sys.argv[1:2] == ["query"]:
        from miner.store.spawn import prestart

        prestart()
    from miner.cli.app import main

    main()


if __name__ == "__main__":
    run()
