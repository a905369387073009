"""Derive miner's compact language model (``miner/data/langid/``) from py3langid's, once.

Source: the model file inside the py3langid wheel (``py3langid/data/model.npz.xz``; py3langid is Marco
Lui's langid.py as modernised by Adrien Barbaresi, BSD 3-Clause: its licence is copied beside the derived
file, as clause 2 asks). py3langid holds its whole model in memory, about 75 MB for 97 languages, where
miner chooses among four; this keeps what a choice among French, English, Dutch and German reads:

- the byte automaton, as the strings of its states: it is the Aho-Corasick machine of the model's byte
  n-grams (each state reached first by one string; after each byte of a text it stands at the longest
  suffix read so far that is a state's string), which this script checks on every one of its
  104,583 x 256 transitions before writing anything; each string (at most 6 bytes) is packed in one
  integer, ``(1 << 8 * len) | bytes``, and stored sorted, with the feature its state counts;
- the four languages' columns of the feature weights (float16, as shipped) and their priors, in the
  model's own column order, which breaks ties as py3langid's ``set_languages`` does.

:mod:`miner.data.langid` counts the same features and sums them in the same order, so its scores are
py3langid's, bit for bit (tests/data/test_langid.py compares them). Run again after upgrading py3langid:

    .venv/bin/python scripts/langid_model.py          # writes miner/data/langid/fr-en-nl-de.npz and LICENSE
"""

from __future__ import annotations

import hashlib
import io
import lzma
import shutil
import sys
from importlib.metadata import distribution, version
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from miner.data.langid import MODEL_FILE, pack  # noqa: E402
from miner.data.lexicon import LANGUAGES  # noqa: E402


def source() -> Path:
    """py3langid's model file, from the installed wheel."""
    from py3langid import langid

    return Path(langid.MODEL_DIR) / langid.MODEL_FILE


def state_strings(rows: np.ndarray, row_of: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The packed string and the depth of every state: a breadth-first walk from the start state, each state
    reached first by exactly one (state, byte) pair (checked: two would mean no Aho-Corasick machine)."""
    count = len(row_of)
    depth = np.full(count, -1, dtype=np.int64)
    code = np.zeros(count, dtype=np.uint64)
    depth[0], code[0] = 0, 1
    frontier = np.array([0])
    level = 0
    while len(frontier):
        targets = rows[row_of[frontier]].astype(np.int64)
        parents, letters = np.nonzero(depth[targets] == -1)
        reached = targets[parents, letters]
        if len(np.unique(reached)) != len(reached):
            raise SystemExit(f"states at depth {level + 1} reached by two strings: not an Aho-Corasick automaton")
        level += 1
        depth[reached] = level
        code[reached] = (code[frontier[parents]] << np.uint64(8)) | letters.astype(np.uint64)
        frontier = reached
    if (depth < 0).any():
        raise SystemExit(f"{int((depth < 0).sum())} states unreachable from the start")
    return code, depth


def check_transitions(rows: np.ndarray, row_of: np.ndarray, code: np.ndarray, depth: np.ndarray) -> None:
    """Every transition goes to the state of the longest suffix of (state's string + byte) that is a state's
    string: what the compact model's binary search finds, so both count the same features on every text."""
    order = np.argsort(code)
    keys = code[order]
    letters = np.arange(256, dtype=np.uint64)
    for chunk in np.array_split(np.arange(len(code)), 64):
        extended = ((code[chunk, None] << np.uint64(8)) | letters).ravel()
        length = np.repeat(depth[chunk] + 1, 256)
        expected = np.zeros(len(extended), dtype=np.int64)
        for size in range(1, int(depth.max()) + 1):
            wanted = pack(extended & np.uint64((1 << (8 * size)) - 1), size)
            at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
            hit = (keys[at] == wanted) & (length >= size)
            expected[hit] = order[at[hit]]
        actual = rows[row_of[chunk]].astype(np.int64).ravel()
        if (actual != expected).any():
            raise SystemExit(f"{int((actual != expected).sum())} transitions are not the longest suffix's")


def main() -> int:
    path = source()
    with lzma.open(path) as handle, np.load(io.BytesIO(handle.read()), allow_pickle=False) as model:
        rows = model["nextmove"].reshape(-1, 256)
        row_of = model["nextmove_row"].astype(np.int64)
        emits = model["out_feat"].astype(np.int32)
        classes = model["classes"].tolist()
        code, depth = state_strings(rows, row_of)
        check_transitions(rows, row_of, code, depth)
        columns = [i for i, name in enumerate(classes) if name in LANGUAGES]  # set_languages' order
        if sorted(classes[i] for i in columns) != sorted(LANGUAGES):
            raise SystemExit(f"{path}: the model lacks some of {LANGUAGES}")
        order = np.argsort(code)
        out = ROOT / "miner" / "data" / MODEL_FILE
        out.parent.mkdir(exist_ok=True)
        np.savez_compressed(
            out,
            states=code[order],
            features=emits[order],
            weights=np.ascontiguousarray(model["ptc"][:, columns]),
            priors=model["pc"][columns].astype(np.float32),
            languages=np.array([classes[i] for i in columns]),
            source=np.array(f"py3langid {version('py3langid')} {path.name} sha256 {sha256(path)}"),
        )
    licence = next(f for f in distribution("py3langid").files or () if f.name == "LICENSE")
    shutil.copyfile(licence.locate(), out.parent / "LICENSE")
    print(f"{out}: {out.stat().st_size / 1e6:.2f} MB, {len(code)} states, languages {[classes[i] for i in columns]}")
    return 0


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


if __name__ == "__main__":
    sys.exit(main())
