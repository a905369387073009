"""Records to RDF: the vocabulary, the document-graph builders with provenance, SHACL validation. No store imports."""
