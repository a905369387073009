"""The compact language model scores as py3langid does, on the project's texts and on any text."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from miner.data.langid import language_model

SENTENCES = [
    ("Le cluster organise un atelier sur la transition numérique pour ses membres wallons.", "fr"),
    ("Rencontre B2B entre les PME de la construction et les bureaux d'études", "fr"),
    ("The cluster organises a workshop on the digital transition for its members.", "en"),
    ("Matchmaking session between the companies and the research centres", "en"),
    ("Het cluster organiseert een workshop over de digitale transitie voor zijn leden.", "nl"),
    ("Bedrijfsbezoek bij een lid met een presentatie van de nieuwe productielijn", "nl"),
    ("Der Cluster veranstaltet einen Workshop zur digitalen Transformation für seine Mitglieder.", "de"),
    ("Betriebsbesichtigung bei einem Mitgliedsunternehmen in der Eifel", "de"),
    ("ASSEMBLÉE GÉNÉRALE DES MEMBRES ET PRÉSENTATION DU RAPPORT ANNUEL", "fr"),  # all capitals: lowered first
]


@pytest.fixture(scope="module")
def identifier():
    """py3langid itself, restricted to the four languages (the source of the compact model; a test dependency)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages(list(language_model().languages))
    return identifier


@pytest.mark.parametrize(("text", "language"), SENTENCES)
def test_fixed_sentences(text: str, language: str, identifier) -> None:
    assert language_model().classify(text) == language
    assert identifier.classify(text)[0] == language
    assert np.array_equal(language_model().scores(text), identifier._decide(text))


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(
    text=st.text(st.characters(exclude_categories=()), max_size=80)
    | st.text("aeiouéèàçbcdnrstlk ,.'ÄÖÜß", max_size=200)
)
def test_same_scores_as_py3langid_on_any_text(text: str, identifier) -> None:
    """Bit for bit: the same features, counted and summed in the same order (surrogates, scripts outside the four
    languages, text without any feature)."""
    assert np.array_equal(language_model().scores(text), identifier._decide(text))


def test_a_text_longer_than_one_pass_counts_across_the_seams(identifier) -> None:
    """Bytes are read 64 KiB at a time: windows across two passes count as in one walk."""
    text = " ".join(text for text, _ in SENTENCES) * 900
    assert len(text.encode()) > 3 * 65536
    assert np.array_equal(language_model().scores(text), identifier._decide(text))


def test_the_shipped_model_names_its_source() -> None:
    from importlib.metadata import version

    with np.load(ROOT / "miner" / "data" / "langid" / "fr-en-nl-de.npz") as data:
        source = str(data["source"])
    assert source.startswith(f"py3langid {version('py3langid')} model.npz.xz sha256 "), "run scripts/langid_model.py"
    assert (ROOT / "miner" / "data" / "langid" / "LICENSE").read_text(encoding="utf-8").count("BSD 3-Clause") == 1


def test_reading_the_lexicons_loads_no_model() -> None:
    """Extraction workers import the lexicons for their words: the model waits for the first detection."""
    code = (
        "import sys\nfrom miner.data.lexicon import lexicons, detect_language\nlexicons()\n"
        "print('miner.data.langid' in sys.modules, end=' ')\n"
        "detect_language('Le cluster réunit les entreprises de la filière.')\n"
        "print('miner.data.langid' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
