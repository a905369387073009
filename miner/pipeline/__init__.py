"""Pipelines as data: the step registry, the runner and its context, the result cache, progress reporting."""
