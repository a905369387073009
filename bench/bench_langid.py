"""The language detector (:func:`miner.data.lexicon.detect_language`) on its compact model
(:mod:`miner.data.langid`) against the same detector on py3langid's own model, in one run: the answers on
every text the project feeds it, the memory each model holds, and the time per text.

Texts: every non-empty cell of the activity lists in ``corpora/activities`` (real.csv, train.csv,
real-missions.csv, ...; the readers feed the descriptions, the other columns are more text of the same
lists), and for each PDF of the sample corpus (and the shared INFOPOLE folder, when present) each page's
text layer and the whole document's, as the PDF reader feeds it. The answers must be the same (the compact
model's scores are py3langid's bit for bit, tests/data/test_langid.py); the goal is zero differences.

Memory: in a fresh child process each, numpy already imported, the resident size and the bytes traced
(tracemalloc) after loading the model and detecting one text. Time: all activity texts through
``detect_language`` with each model in alternate rounds (the same load on both), per text and as a ratio.

    .venv/bin/python bench/bench_langid.py [--tiny] [--rounds 5]
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from goals import SHARED, TINY, goal  # noqa: E402

from miner.data import langid  # noqa: E402
from miner.data.lexicon import LANGUAGES, detect_language  # noqa: E402

MAX_MODEL_MB = 5.0
"""The detector's own share of classify's 400 MB (issue 27): "a few MB at most", where py3langid held ~75 MB."""

IMPORT = {
    "compact": "from miner.data.langid import language_model",
    "py3langid": "from py3langid.langid import MODEL_FILE, LanguageIdentifier",
}
LOAD = {
    "compact": "classify = language_model().classify",
    "py3langid": (
        f"identifier = LanguageIdentifier.from_model_file(MODEL_FILE)\nidentifier.set_languages({list(LANGUAGES)!r})\n"
        "classify = identifier.classify"
    ),
}
"""How each model is imported, then loaded and called (py3langid's as ``detect_language`` loaded it before)."""


class Py3langid:
    """py3langid's identifier restricted to the four languages, answering as :class:`miner.data.langid.LanguageModel`."""

    def __init__(self) -> None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        self.identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
        self.identifier.set_languages(list(LANGUAGES))

    def classify(self, text: str) -> str:
        return str(self.identifier.classify(text)[0])


@contextmanager
def model(which: object) -> Iterator[None]:
    """``detect_language`` on ``which`` (it looks the model up in :mod:`miner.data.langid` at each call)."""
    shipped = langid.language_model
    langid.language_model = lambda: which  # type: ignore[assignment]
    try:
        yield
    finally:
        langid.language_model = shipped


def activity_texts(tiny: bool) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in sorted((ROOT / "corpora" / "activities").glob("*.csv")):
        with open(path, encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        texts = [value for row in rows for value in row.values() if isinstance(value, str) and value.strip()]
        out[path.name] = texts[:50] if tiny else texts
    return out


def page_texts(tiny: bool) -> dict[str, list[str]]:
    import pdfplumber

    paths = sorted((ROOT / "corpora" / "pdf").glob("*.pdf")) + sorted((SHARED / "corpora" / "infopole").glob("*.pdf"))
    out: dict[str, list[str]] = {}
    for path in paths[:1] if tiny else paths:
        with pdfplumber.open(path) as pdf:
            pages = [page.extract_text() or "" for page in (pdf.pages[:2] if tiny else pdf.pages)]
        out[path.name] = [*pages, "\n".join(pages)]
    return out


def resident(kind: str) -> tuple[float, float]:
    """(resident MB, traced MB) that loading ``kind``'s model and detecting one text add to a fresh process
    that has imported numpy and the model's module and computed one product."""
    code = (
        f"import tracemalloc, numpy\n{IMPORT[kind]}\n"
        # the first product starts OpenBLAS (its buffers per thread): the library's memory, not the model's
        "numpy.ones(8, numpy.float32) @ numpy.ones((8, 4), numpy.float16)\n"
        "def rss():\n    return next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmRSS'))\n"
        "before = rss()\ntracemalloc.start()\n"
        f"{LOAD[kind]}\nclassify('Le cluster réunit les entreprises de la filière et leurs partenaires.')\n"
        "print(rss() - before, tracemalloc.get_traced_memory()[0])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    kb, traced = out.stdout.split()
    return int(kb) / 1024, int(traced) / 2**20


def timed(texts: list[str], models: dict[str, object], rounds: int) -> dict[str, float]:
    """Seconds per text of ``detect_language`` on each model, in alternate rounds."""
    spent = dict.fromkeys(models, 0.0)
    for _ in range(rounds):
        for kind, which in models.items():
            with model(which):
                start = time.perf_counter()
                for text in texts:
                    detect_language(text)
                spent[kind] += time.perf_counter() - start
    return {kind: seconds / (len(texts) * rounds) for kind, seconds in spent.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tiny", action="store_true", help=TINY)
    parser.add_argument("--rounds", type=int, default=5, help="alternate timing rounds of each model")
    args = parser.parse_args(argv)
    compact, old = langid.language_model(), Py3langid()

    sources = {**activity_texts(args.tiny), **page_texts(args.tiny)}
    differ, total = [], 0
    for name, texts in sources.items():
        with model(compact):
            new_answers = [detect_language(text) for text in texts]
        with model(old):
            old_answers = [detect_language(text) for text in texts]
        changed = [(text[:60], a, b) for text, a, b in zip(texts, old_answers, new_answers) if a != b]
        total += len(texts)
        differ += changed
        print(f"{name}: {len(texts)} texts, {len(changed)} answers differ from py3langid's", flush=True)
    for text, before, after in differ:
        print(f"  {before} -> {after}: {text!r}")
    goal(f"answers differing from py3langid's, {total} texts", len(differ), "<=", 0, "")

    sizes: dict[str, list[tuple[float, float]]] = {"py3langid": [], "compact": []}
    for _ in range(1 if args.tiny else 2):
        for kind in sizes:
            sizes[kind].append(resident(kind))
    for kind, runs in sizes.items():
        print(
            f"{kind} model: {max(r for r, _ in runs):.1f} MB resident after loading and one text, "
            f"{max(t for _, t in runs):.1f} MB traced ({len(runs)} fresh processes, the largest)"
        )
    goal("the compact model's resident memory", max(r for r, _ in sizes["compact"]), "<=", MAX_MODEL_MB, " MB")

    rounds = 1 if args.tiny else args.rounds
    models = {"py3langid": old, "compact": compact}
    rows = [text for name, texts in sources.items() if name.endswith(".csv") for text in texts]
    pages = [text for name, texts in sources.items() if not name.endswith(".csv") for text in texts]
    for what, texts in (("activity text", rows), ("page or document text", pages)):
        took = timed(texts, models, rounds)
        print(
            f"detect_language per {what} ({len(texts)} texts, {rounds} alternate rounds): "
            f"compact {took['compact'] * 1e6:.0f} µs, py3langid {took['py3langid'] * 1e6:.0f} µs "
            f"({took['compact'] / took['py3langid']:.2f}x)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
