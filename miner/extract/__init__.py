"""From read documents to records: evaluation structure, funding cycles, stated figures, organisations, members."""

from miner.api import callable_package

callable_package(__name__, "extract")  # miner.extract(...) is also the library call
