"""From read documents to records: evaluation structure, funding cycles, stated figures, organisations, members."""
