"""The team's sample corpus and its tools (not part of the installed package)."""
