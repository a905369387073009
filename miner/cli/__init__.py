"""The miner command line; all printing lives here."""
