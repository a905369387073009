"""`python -m miner` runs the CLI."""

from miner.cli import main

main()
