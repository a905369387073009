"""atheris fuzz target on the extraction entry point.

Any input bytes must give an Evaluation or an InputError (one clear reason); anything else is a
bug. Run briefly by tests/test_fuzz.py; longer with MINER_FUZZ=1 or by hand:

    .venv/bin/python tests/fuzz_extract.py SEED_DIR -runs=100000 -max_len=200000
"""

from __future__ import annotations

import os
import sys
import tempfile

import atheris

with atheris.instrument_imports(include=["miner"]):
    from miner.errors import InputError
    from miner.extract.evaluation import extract_evaluation

_FD, _PATH = tempfile.mkstemp(suffix=".pdf")
os.close(_FD)


def test_one_input(data: bytes) -> None:
    with open(_PATH, "wb") as handle:
        handle.write(data)
    try:
        extract_evaluation(_PATH)
    except InputError:
        pass


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
