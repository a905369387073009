"""Comparing evaluations: alignment of questions, criteria and constats, deltas, the comparison report."""
