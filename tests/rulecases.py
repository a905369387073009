"""The rule tests' shared step: hand-written sentences parsed in one spaCy batch (one pass is much
cheaper than one per sentence) and the rules applied to each, with the list's own cluster given."""

from __future__ import annotations

from miner.nlp.french import analyse_with_docs
from miner.tag.facts import facts_of, own_cluster


def batch_verdicts(sentences: list[str], own: str) -> list[list]:
    """Every rule's verdicts on each sentence, in order."""
    from miner.tag.rules import apply_rules

    return [apply_rules(facts_of(a, d, own_cluster(own))) for a, d in analyse_with_docs(sentences)]
