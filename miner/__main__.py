"""`python -m miner` runs the CLI."""

from miner.cli.app import main

main()
