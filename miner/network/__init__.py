"""The partnership network: built from the store, metrics, the page, GraphML/GEXF exports."""

from miner.api import callable_package

callable_package(__name__, "network")  # miner.network(...) is also the library call
