"""Precision and coverage of each rule (R0-R19) on the real activities, network by network held apart.

    python bench/rules_check.py [--sealed] [--show KEY] [--misses AXIS]

The real rows are split by network once and for all: a network is *sealed* when the SHA-256 of its
name (the ``cluster`` column, stripped, UTF-8) is 0 modulo 4 (90 of 365 networks, 280 of 1,124 rows; 43 of 187 and 175 of 703 before the third batch).
Rules are written and tuned looking only at the open part (the default); ``--sealed`` measures the
sealed part, which is read once, at the end, for the honest figure. ``--show R2/R7+6`` lists the open
rows where that verdict is wrong; ``--misses 3`` the open rows whose gold axis no settling verdict
adds (never available with ``--sealed``).

Per verdict kind ("R8+4"): how many rows it fires on (coverage) and how often the gold agrees
(precision: the axis is in the gold for an add, absent for a remove). Per axis: the rows a settling
verdict decides, and how often rightly.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from miner.nlp.french import analyse_with_docs  # noqa: E402
from miner.tag.facts import facts_of, own_cluster  # noqa: E402
from miner.tag.rules import SETTLES, apply_rules, verdict_key  # noqa: E402

REAL = ROOT / "corpora" / "activities" / "real.csv"


def sealed(network: str) -> bool:
    """The fixed held-out rule: a network is sealed when sha256(name) ≡ 0 (mod 4)."""
    return int(hashlib.sha256(network.strip().encode("utf-8")).hexdigest(), 16) % 4 == 0


def rows(part_sealed: bool) -> list[dict[str, str]]:
    with REAL.open(encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if sealed(r["cluster"]) == part_sealed]


def gold(row: dict[str, str]) -> set[int]:
    return {int(a) for a in row["axes"].replace(";", " ").replace(",", " ").split() if a.strip()}


def _key(v) -> str:
    """The verdict kind and how firm: "R8+4" settles, "R8+4?" only leans."""
    return verdict_key(v) + ("" if v.strength >= SETTLES else "?")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sealed", action="store_true", help="measure the sealed networks (once, at the end)")
    ap.add_argument("--show", default="", help="list the open rows where this verdict kind is wrong")
    ap.add_argument("--misses", type=int, default=0, help="list the open rows whose gold axis no settling verdict adds")
    args = ap.parse_args()
    if args.sealed and (args.show or args.misses):
        sys.exit("--show and --misses read the open part only")
    data = rows(args.sealed)
    parsed = analyse_with_docs([r["description"] for r in data])
    fired: dict[str, list[bool]] = defaultdict(list)
    decided: dict[int, list[bool]] = defaultdict(list)
    for row, (analysis, doc) in zip(data, parsed):
        axes = gold(row)
        verdicts = apply_rules(facts_of(analysis, doc, own_cluster(row["cluster"], "column")))
        for key in dict.fromkeys(_key(v) for v in verdicts):
            v = next(v for v in verdicts if _key(v) == key)
            right = (v.axis in axes) == v.add
            fired[key].append(right)
            if args.show == key and not right:
                print(
                    f"  {row['id']} gold {sorted(axes)} {'S' if v.strength >= SETTLES else 'H'} [{v.words}] {row['description']}"
                )
        firm = [v for v in verdicts if v.strength >= SETTLES]
        for axis in range(1, 7):
            adds = any(v.add for v in firm if v.axis == axis)
            removes = any(not v.add for v in firm if v.axis == axis)
            if adds != removes:
                decided[axis].append(adds == (axis in axes))
            if args.misses == axis and axis in axes and not adds:
                print(f"  {row['id']} gold {sorted(axes)} {row['description']}")
    part = "sealed" if args.sealed else "open"
    print(f"{part} part: {len(data)} rows of {len({r['cluster'] for r in data})} networks")
    print(f"{'verdict':10} {'fires':>6} {'cover':>6} {'prec':>6}")
    for key in sorted(fired, key=lambda k: (int(k.rstrip("?")[-1]), k)):
        hits = fired[key]
        print(f"{key:10} {len(hits):6d} {len(hits) / len(data):6.1%} {sum(hits) / len(hits):6.1%}")
    print("per axis, rows settled by the rules: count, coverage, precision")
    for axis in range(1, 7):
        hits = decided[axis]
        if hits:
            print(f"axis {axis}: {len(hits):4d} {len(hits) / len(data):6.1%} {sum(hits) / len(hits):6.1%}")


if __name__ == "__main__":
    main()
