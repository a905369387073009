"""spaCy is imported without torch (thinc only probes for it), and torch still loads after."""

from __future__ import annotations

import subprocess
import sys

from timeouts import scaled

from miner.nlp import backends

PROBE = """
import sys
from miner.nlp.backends import import_spacy, import_sentence_transformers
spacy = import_spacy()
print('torch' in sys.modules, sys.modules.get('torch', 0) is None)
import_sentence_transformers()
import torch
print(torch.tensor([1.0]).sum().item())
"""


def test_spacy_comes_without_torch_and_torch_still_loads_afterwards():
    assert backends.__all__ == ["import_spacy", "import_sentence_transformers", "numpy_products"]
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=scaled(300))
    assert out.stdout.split() == ["False", "False", "1.0"]


def annotations(nlp, texts: list[str]) -> list[list[tuple]]:
    """Everything miner reads of a parse, token by token."""
    return [
        [
            (t.text, t.pos_, t.tag_, str(t.morph), t.dep_, t.head.i, t.lemma_, t.ent_iob_, t.ent_type_, t.ent_id_)
            for t in doc
        ]
        for doc in nlp.pipe(texts, batch_size=64)
    ]


def test_the_pipeline_multiplying_through_numpy_annotates_as_with_blis_and_is_put_back(shared):
    """Real rows and the benchmark's (training descriptions numbered): the same tags, morphology,
    lemmas, dependencies and entities with numpy's products as with thinc's blis; thinc's ops after."""
    import csv

    from conftest import ROOT

    from miner.nlp.cores import numpy_blas_on_one_thread
    from miner.nlp.french import get_nlp

    def descriptions(name: str, count: int) -> list[str]:
        with open(ROOT / "corpora" / "activities" / name, encoding="utf-8") as handle:
            return [" ".join(row["description"].split()) for row in csv.DictReader(handle)][:count]

    texts = descriptions("real.csv", 80) + [f"{t} (édition 2)" for t in descriptions("train.csv", 24)]
    nlp = get_nlp()

    def ops_used() -> set[str]:
        models = [pipe.model for _, pipe in nlp.pipeline if hasattr(getattr(pipe, "model", None), "walk")]
        return {node.ops.name for model in models for node in model.walk()}

    before = ops_used()
    thincs = annotations(nlp, texts)
    with numpy_blas_on_one_thread(), backends.numpy_products(nlp):
        assert ops_used() == {"miner-numpy-products"}
        numpys = annotations(nlp, texts)
    assert numpys == thincs
    assert ops_used() == before and "miner-numpy-products" not in before
