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
    assert backends.__all__ == ["import_spacy", "import_sentence_transformers"]
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=scaled(300))
    assert out.stdout.split() == ["False", "False", "1.0"]
