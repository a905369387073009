"""The compact load of the French pipeline (miner.nlp.compact) answers as spaCy's own load: the
lemmatizer's tables and the vectors' key table entry for entry, and every annotation."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
import srsly
from timeouts import scaled

from miner.nlp.compact import HashedTable, compact_lemma_tables, package_dir
from miner.nlp.french import SPACY_MODEL, get_nlp

ROOT = Path(__file__).resolve().parents[2]
STRIDE = 5
"""Every fifth entry of each table is compared (all of them take 5x longer and find the same)."""


def test_hashed_table_maps_strings_hashes_ints_and_sets():
    from spacy.strings import get_string_id

    table = HashedTable([("suis", ["être"]), ("a", ["avoir", "a"]), ("été", ["être"])])
    assert table.get("a") == ["avoir", "a"] and table[get_string_id("suis")] == ["être"]
    assert "été" in table and "ete" not in table and table.get("ete", ["ete"]) == ["ete"]
    assert table.get("a") is not table.get("a"), "each answer is a fresh list, as callers may extend it"
    with pytest.raises(KeyError):
        table["nope"]
    rows = HashedTable([(2**64 - 1, 3), (5, 0)])
    assert rows.get(2**64 - 1) == 3 and rows.get(5) == 0 and rows.get(6, -1) == -1
    assert sorted(rows.values()) == [0, 3] and len(rows) == 2
    assert "x" in HashedTable.of_keys(["x", "y"]) and "z" not in HashedTable.of_keys(["x", "y"])
    with pytest.raises(TypeError):
        HashedTable([("a", 1), ("b", ["mixed"])])


def test_lemma_tables_answer_as_spacys_for_every_entry():
    from spacy.lookups import Lookups

    path = package_dir(SPACY_MODEL) / "lemmatizer" / "lookups"
    original, compact = Lookups().from_disk(path), compact_lemma_tables(path / "lookups.bin")
    assert original.tables == compact.tables
    for name in original.tables:
        theirs, ours = original.get_table(name), compact.get_table(name)
        assert len(theirs) == len(ours)
        for key, value in list(theirs.items())[::STRIDE]:
            mine = ours.get(key)
            if isinstance(value, dict):  # lemma_exc: form → lemmas
                assert all(mine.get(form) == lemmas for form, lemmas in value.items()), (name, key)
                assert mine.get("pas-un-mot-xq", []) == []
            elif name == "lemma_index":  # only ever searched
                assert all(form in mine for form in value) and "pas-un-mot-xq" not in mine
            else:
                assert mine == value, (name, key)


def test_vector_rows_answer_as_spacys_for_every_key():
    table = srsly.read_msgpack(package_dir(SPACY_MODEL) / "vocab" / "key2row")
    compact = HashedTable(table.items())
    assert len(compact) == len(table)
    assert all(compact.get(key, -1) == row for key, row in list(table.items())[::STRIDE])
    assert compact.get(12345, -1) == -1 or 12345 in table
    whole = HashedTable.of_rows(table)  # what the load builds: read whole, the same table
    assert list(whole.items()) == list(compact.items())
    assert whole.get(12345, -1) == compact.get(12345, -1)
    assert list(HashedTable.of_rows({"a": 1, "b": 2}).items()) == list(HashedTable([("a", 1), ("b", 2)]).items())


@pytest.mark.long
def test_pipeline_annotates_as_spacys_own_load():
    """Long: it loads spaCy's own pipeline beside the compact one (the tables above run in make test)."""
    from miner.nlp.backends import import_spacy

    with open(ROOT / "corpora/activities/real.csv", encoding="utf-8") as handle:
        texts = [row["description"] for _, row in zip(range(40), csv.DictReader(handle))]
    ours = get_nlp()
    theirs = import_spacy().load(SPACY_MODEL)

    def annotations(doc):
        tokens = [
            (
                t.text,
                t.lemma_,
                t.pos_,
                t.tag_,
                str(t.morph),
                t.dep_,
                t.head.i,
                t.norm_,
                t.has_vector,
                round(float(t.vector.sum()), 5),
            )
            for t in doc
        ]
        return tokens, [(e.start, e.end, e.label_) for e in doc.ents]

    mine = [annotations(d) for d in ours.pipe(texts, disable=["entity_ruler"])]
    assert mine == [annotations(d) for d in theirs.pipe(texts)]


def test_tables_of_another_shape_are_kept_as_spacy_keeps_them(tmp_path):
    from spacy.lookups import Lookups

    lookups = Lookups()
    lookups.add_table("lemma_lookup", {"went": "go", "mice": "mouse"})  # a lookup-mode package: plain strings
    lookups.add_table("lemma_exc", {"verb": {"went": ["go"]}})
    lookups.to_disk(tmp_path)
    compact = compact_lemma_tables(tmp_path / "lookups.bin")
    assert compact.get_table("lemma_lookup").get("mice") == "mouse"
    assert compact.get_table("lemma_exc").get("verb").get("went") == ["go"]


TOKEN_MATCH_PROBE = """
import re._compiler as compiler, threading
from importlib import _bootstrap
held_at_big_compiles = []
compile = compiler.compile
def counted(pattern, flags=0):
    if isinstance(pattern, str) and len(pattern) > 100_000:  # French's token_match is 1.4 MB
        me = threading.get_ident()
        held_at_big_compiles.append(
            sorted(n for n, ref in list(_bootstrap._module_locks.items()) if getattr(ref(), "owner", None) == me)
        )
    return compile(pattern, flags)
compiler.compile = counted
from miner.nlp.compact import precompile_token_match
from miner.nlp.french import SPACY_MODEL, get_entity_nlp
nlp = get_entity_nlp()
print(held_at_big_compiles, nlp.tokenizer.token_match.__self__ is precompile_token_match(SPACY_MODEL))
"""


def test_token_match_is_compiled_once_outside_any_import():
    """The French tokenizer's 1.4 MB pattern is compiled once, while the loading thread holds no
    import lock (spaCy's own import of the language would compile it holding them, and workers wait
    for those locks to fork), and the loaded tokenizer uses that compiled pattern."""
    out = subprocess.run(
        [sys.executable, "-c", TOKEN_MATCH_PROBE], capture_output=True, text=True, check=True, timeout=scaled(300)
    )
    assert out.stdout.split("\n")[0] == "[[]] True"
