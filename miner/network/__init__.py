"""The partnership network: built from the store, metrics, the page, GraphML/GEXF exports."""
