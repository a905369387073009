"""The read-only SPARQL endpoint and its pages."""
