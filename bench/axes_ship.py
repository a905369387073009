"""Train the shipped axis model as ``make model`` does (written + real rows, ``--replace``), but
with the encoder's vectors from ``bench/encoder_cache.py``'s cache, so a busy machine need not
encode the corpus again. Writes the artefact and points ``assets/models/DEFAULT`` at it.

    python bench/axes_ship.py [--cache DIR] [--setting key=value ...] [--tiny]

``--tiny`` (the long tests run it): every 25th row, a temporary cache and a temporary model folder;
the shipped model and its pointer are left alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from encoder_cache import DEFAULT_CACHE, cached_vectors  # noqa: E402
from goals import TINY  # noqa: E402

from miner.tag import axes  # noqa: E402
from miner.tag.classify import gold_rows  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", default=str(DEFAULT_CACHE))
    parser.add_argument("--setting", action="append", default=[], help="AxesSettings field=JSON value")
    parser.add_argument("--tiny", action="store_true", help=TINY)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="miner-axes-ship-") as tmp:
        ship(args, Path(tmp) if args.tiny else None)


def ship(args: argparse.Namespace, tiny: Path | None) -> None:
    """Train on every row (on every 25th into ``tiny``, the cache and model folder of a tiny run)."""
    # real rows first, then written: the order bench/axes_loco.py encodes them in (one cache entry)
    paths = [ROOT / "corpora/activities/real.csv", ROOT / "corpora/activities/train.csv"]
    texts, labels, clusters, ids = [], [], [], []
    for path in paths:
        for kept, more in zip((texts, labels, clusters, ids), gold_rows(path)):
            kept.extend(more[:: 25 if tiny else 1])
    settings = axes.AxesSettings(**{k: json.loads(v) for k, v in (s.split("=", 1) for s in args.setting)})
    vectors = cached_vectors(texts, settings.encoder, tiny or Path(args.cache))
    model = axes.fit(
        texts,
        labels,
        ids=ids,
        clusters=clusters,
        settings=settings,
        vectors=np.asarray(vectors),
        source=";".join(str(p.relative_to(ROOT)) for p in paths),
    )
    folder = tiny or ROOT / "miner/data/assets/models"
    out = model.save(folder)
    (folder / "DEFAULT").write_text(out.name + "\n", encoding="utf-8")
    print(out, "trusted rules:", ",".join(model.trusted_rules or []))


if __name__ == "__main__":
    main()
