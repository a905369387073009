"""Language tools shared by the stages: text folding and slugs, the French spaCy pipeline, embeddings, Belgian geography."""
