"""The graph store: embedded Oxigraph, read-only query screening, killable query workers, remote stores, loaders."""
