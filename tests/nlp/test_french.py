"""The French pipeline's gazetteer, language guess and the offline embedding model resolution."""

from __future__ import annotations

import pytest

from miner.errors import UsageError
from miner.nlp.embeddings import resolve_model_path
from miner.nlp.french import analyse, load_gazetteer


def test_gazetteer_types_and_entries():
    types, entries = load_gazetteer()
    assert {"pole", "cluster", "federation", "agency", "university", "research"} <= set(types)
    by_name = {e.name: e for e in entries}
    assert by_name["GreenWin"].type == "pole" and by_name["Agoria"].type == "federation"
    assert len(by_name) == len(entries), "canonical names are unique"


def test_actors_found_with_canonical_names_and_types():
    [a] = analyse(["Atelier avec l'AWEX, le pôle Skywin, l'ULiège, le CETIC et le Cluster Eau Vive."], full=False)
    found = [(x.name, x.type) for x in a.actors]
    assert found == [
        ("AWEX", "agency"),
        ("Skywin", "pole"),
        ("Université de Liège", "university"),
        ("CETIC", "research"),
        ("", "cluster"),
    ]


def test_acronyms_are_case_sensitive_and_names_accent_insensitive():
    [a, b] = analyse(["Une idea de génie.", "Rencontre avec Infopole et le pole Greenwin."], full=False)
    assert a.actors == []
    assert [x.name for x in b.actors] == ["Infopôle Cluster TIC", "GreenWin"]


def test_full_analysis_has_noun_chunks_entities_and_partners():
    [a] = analyse(["Mission économique à Montréal organisée avec Agoria pour six entreprises membres."])
    assert "Mission économique" in a.noun_chunks[0]
    assert ("Montréal", "LOC") in a.entities
    assert a.partners[0] == "Agoria"
    assert "organiser" in a.lemmas


def test_embedding_model_resolves_offline_only(tmp_path):
    assert (resolve_model_path() / "modules.json").is_file()
    with pytest.raises(UsageError, match="offline"):
        resolve_model_path("sentence-transformers/all-MiniLM-L6-v2")
    with pytest.raises(UsageError, match="not installed"):
        resolve_model_path("package:no_such_model_package")


def test_one_gazetteer_the_typers_scheme_finds_and_types_the_same_bodies():
    """The entity ruler's entries are the typer's bodies: same names and variants, each body's kind
    a known kind, axis-6 counting where the type counts (R7) unless the body says otherwise."""
    from miner.nlp.orgtyper import load_typer

    typer = load_typer()
    types, entries = load_gazetteer()
    assert [(e.name, e.variants) for e in entries] == [(b.name, b.variants) for b in typer.bodies]
    assert {e.type for e in entries} <= set(types)
    same = sum(e.synergy == typer.qualifies(b.type) for e, b in zip(entries, typer.bodies))
    assert same / len(entries) > 0.85
    by_name = {e.name: e for e in entries}
    assert by_name["CETIC"].type == "research" and by_name["CETIC"].synergy
    assert typer.type_name("CETIC").type == "techcentre"


def test_a_users_file_extends_the_gazetteer_and_the_typer_at_once(tmp_path):
    from miner.nlp.backends import import_spacy
    from miner.nlp.french import ruler_patterns
    from miner.nlp.orgtyper import load_typer

    mine = tmp_path / "mine.ttl"
    mine.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix mt: <https://w3id.org/miner/org-type/> .\n"
        '<urn:x:zorglub> skos:broader mt:chamber ; skos:prefLabel "Zorglub Kammer" ; skos:altLabel "ZGK" .\n',
        encoding="utf-8",
    )
    types, entries = load_gazetteer(str(mine))
    [entry] = [e for e in entries if e.name == "Zorglub Kammer"]
    assert entry.type == "federation" and entry.synergy and entry.variants == ("ZGK",)
    assert load_typer(str(mine)).type_name("ZGK").type == "chamber"
    patterns = ruler_patterns([entry], import_spacy().blank("fr").make_doc)
    assert {"label": "FEDERATION", "id": "Zorglub Kammer", "pattern": [{"ORTH": "ZGK"}]} in patterns


def test_the_pipes_left_out_for_entities_feed_no_entity_recogniser():
    """get_entity_nlp leaves out ENTITY_ONLY: none of them may feed ``ner`` (the model's ``ner`` has
    its own token vectors), else its entities would differ from the whole pipeline's; and once the
    whole pipeline is loaded, it is the one handed out."""
    from miner.nlp.french import ENTITY_ONLY, get_entity_nlp, get_nlp

    full = get_nlp()  # loaded once per test process, as the other tests here load it
    listened = {listener for _, component in full.pipeline for listener in getattr(component, "listener_map", {})}
    assert "ner" in full.pipe_names and "ner" not in ENTITY_ONLY and "ner" not in listened
    assert set(ENTITY_ONLY) < set(full.pipe_names)
    assert get_entity_nlp() is full


@pytest.mark.parametrize("entities_only", [True, False])
def test_a_qualified_head_phrase_names_another_body(entities_only):
    """A gazetteer label that is only a type's head phrase names the gazetteer's body only where nothing
    qualifies it: "la Chambre de commerce de Turin" is Turin's chamber, never CCI Wallonie; a qualified label the
    gazetteer knows keeps its body; a name the recogniser cut after its link word takes its place in."""
    from miner.nlp.french import canonical_name, get_entity_nlp, get_nlp

    nlp = get_entity_nlp() if entities_only else get_nlp()

    def names(text: str) -> list[tuple[str, str]]:
        return [(e.text, canonical_name(e)) for e in nlp(text).ents if e.label_ not in {"LOC", "PER", "MISC"}]

    assert names("Mission à Turin avec la Chambre de commerce de Turin et le cluster.") == [
        ("Chambre de commerce de Turin", "")
    ]
    assert names("Mission à Lyon avec la CCI de Lyon.") == [("CCI de Lyon", "")]
    assert names("Atelier avec la Chambre de commerce et d'industrie de Bruxelles.") == [
        ("Chambre de commerce et d'industrie de Bruxelles", "BECI")
    ]
    assert names("Rencontre avec la Chambre de commerce pour les PME.") == [("Chambre de commerce", "CCI Wallonie")]
    assert names("Projet avec la Chambre économique de Kirchdorf et le parc national.") == [
        ("Chambre économique de Kirchdorf", "")
    ]
    # a place set right after the head phrase qualifies it too; a lower-case word or a comma does not
    assert names("Atelier co-organisé avec la CCI Occitanie sur l'hydrogène.") == [("CCI Occitanie", "")]
    assert names("Atelier co-organisé avec la CCI, Bpifrance et le pôle.")[0] == ("CCI", "CCI Wallonie")


def test_the_qualifier_length_is_a_setting(monkeypatch):
    """NameSettings.qualifier_words bounds the capitalised words a name's qualifier takes in."""
    from miner.nlp import french

    nlp = french.get_entity_nlp()
    text = "Mission avec la Chambre de commerce de Wallonie Picarde."
    assert "Chambre de commerce de Wallonie Picarde" in [e.text for e in nlp(text).ents]
    monkeypatch.setattr(french, "NAMES", french.NameSettings(qualifier_words=1))
    assert "Chambre de commerce de Wallonie" in [e.text for e in nlp(text).ents]
