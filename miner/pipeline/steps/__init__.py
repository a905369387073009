"""Pipeline steps, one module per family; each is a thin wrapper over a stage."""
