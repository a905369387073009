"""Namespaces and IRI minting: the same fact gets the same IRI on every run, a misspelt term fails.

``MINER`` mirrors ``ontology/miner.ttl`` term for term (``tests/test_vocab.py`` keeps them equal);
the reused vocabularies come from rdflib, except Web Annotation, declared here for the few terms we
use. IRIs of data are minted by :class:`Minter` from content (cluster slug, cycle, question number,
criterion slug, constat number, file digest) under a configurable base IRI, never at random, so
re-ingesting a document rewrites the same resources instead of adding new ones.

>>> m = Minter("https://example.org/")
>>> m.constat("INFOPOLE cluster TIC", "triennat-7", 13)
rdflib.term.URIRef('https://example.org/cluster/infopole-cluster-tic/triennat-7/constat/13')
>>> MINER.Constat
rdflib.term.URIRef('https://w3id.org/miner/ontology#Constat')
"""

from __future__ import annotations

import hashlib
import re

from rdflib.namespace import DCTERMS, ORG, OWL, PROV, QB, RDF, RDFS, SKOS, TIME, XSD, DefinedNamespace, Namespace
from rdflib.term import URIRef

from miner.nlp.text import slugify
from miner.rdf.prefixes import PREFIXES

__all__ = [
    "MINER",
    "OA",
    "ROV",
    "ADMS",
    "LOCN",
    "PROVINCES",
    "PROVINCE_SCHEME",
    "PROVINCE_CODES",
    "BCE_AGENCY",
    "JUDGEMENT_ORDER",
    "province_concept",
    "province_name",
    "AXES",
    "AXIS_SCHEME",
    "MISSIONS",
    "MISSION_SCHEME",
    "JUDGEMENTS",
    "JUDGEMENT_SCHEME",
    "ONTOLOGY_IRI",
    "DEFAULT_BASE_IRI",
    "PREFIXES",
    "Minter",
    "slugify",
    "axis",
    "judgement_concept",
    "DCTERMS",
    "ORG",
    "OWL",
    "PROV",
    "QB",
    "RDF",
    "RDFS",
    "SKOS",
    "TIME",
    "XSD",
]

ONTOLOGY_IRI = "https://w3id.org/miner/ontology"
DEFAULT_BASE_IRI = "https://w3id.org/miner/data/"
"""Where data IRIs live unless a pipeline or ``--base-iri`` says otherwise."""


class MINER(DefinedNamespace):
    """The miner ontology (ontology/miner.ttl). Generated from: https://w3id.org/miner/ontology#"""

    _fail = True
    _NS = Namespace("https://w3id.org/miner/ontology#")

    Association: URIRef  # A non-profit association or a federation.
    AxisAssignment: (
        URIRef  # The qualified link of an activity to a decree axis, with a score and the method that made it.
    )
    BusinessCluster: URIRef  # A business network or cluster, in Wallonia or elsewhere.
    ClusterActivity: URIRef  # An action a cluster carried out for its members (event, workshop, mission, project).
    Company: URIRef  # A company of any size.
    CompetitivenessPole: URIRef  # A Walloon competitiveness pole.
    Constat: URIRef  # A numbered finding of the evaluators that justifies the judgement of one or more criteria.
    ConstatLink: URIRef  # The qualified link of an activity to an evaluation finding it illustrates or could change, with a score.
    Consultancy: URIRef  # A consulting or audit firm.
    Criterion: URIRef  # A criterion of the evaluation framework, identified by its theme; the same across cycles so judgements compare.
    Cycle: URIRef  # A funding period of a cluster (three or four years), numbered from its recognition.
    Evaluation: URIRef  # The evaluation of one cluster over one funding cycle, as a report gives it.
    EvaluationQuestion: URIRef  # A numbered question that an evaluation answers through judged criteria.
    ExtractionRun: URIRef  # One run of miner that read a document and produced its facts.
    Federation: URIRef  # A trade federation or professional body.
    HigherEducation: URIRef  # A higher-education institution.
    JudgementObservation: URIRef  # The judgement given to one criterion for one cluster and cycle: a Data Cube observation (cluster × criterion × cycle).
    LargeCompany: URIRef  # A large company or group.
    MemberCountObservation: (
        URIRef  # A number of members, or its change, that a document states for one cluster and cycle.
    )
    OrganisationType: URIRef  # A category of member organisation (company, research centre, university...).
    Partnership: URIRef  # A link between two organisations that a document states, with its provenance.
    ProvinceMemberCountObservation: (
        URIRef  # The number of members a document states for one cluster, cycle and province.
    )
    PublicBody: URIRef  # An administration, an agency or an inter-municipal body.
    ResearchCentre: URIRef  # A certified or university research centre.
    SME: URIRef  # A small or medium-sized enterprise.
    SourceDocument: URIRef  # A file miner read, identified by the sha256 digest of its content.
    TrainingCentre: URIRef  # A vocational training centre.
    UnknownOrganisationType: URIRef  # The type could be found neither in the gazetteer nor from the name.
    axis: URIRef  # The decree axis of an assignment.
    axisAssignment: URIRef  # The qualified link of an activity to a decree axis.
    cluster: URIRef  # The cluster an observation or an activity is about.
    commissionedBy: URIRef  # The administration that ordered the evaluation.
    componentCluster: URIRef  # The cluster dimension.
    componentCriterion: URIRef  # The criterion dimension.
    componentCycle: URIRef  # The cycle dimension.
    componentJudgement: URIRef  # The judgement measure.
    componentMemberCount: URIRef  # The member count measure.
    componentMemberGrowth: URIRef  # The member growth measure.
    componentMembersInProvince: URIRef  # The members in province measure.
    componentProvince: URIRef  # The province dimension.
    conclusion: URIRef  # The paragraphs that conclude an evaluation question.
    constatNumber: URIRef  # The number of a constat (subproperty of skos:notation, written beside it).
    criterion: URIRef  # The criterion judged.
    cycle: URIRef  # The funding cycle concerned.
    cycleKind: URIRef  # triennat (three years), quadriennat (four years), or year when the cycle is unknown.
    cycleOf: URIRef  # The cluster whose cycle this is; each cluster numbers its own.
    evaluatedCluster: URIRef  # The cluster an evaluation assesses.
    evidence: URIRef  # The part of the document (exact quote, page, box) a fact came from.
    fictitious: URIRef  # True when the document itself says it is invented (demonstration corpus).
    fileName: URIRef  # The name of the file read, without its folder.
    hasCriterion: URIRef  # A criterion judged under this question.
    hasQuestion: URIRef  # A question the evaluation answers.
    joinedOn: URIRef  # The date the organisation joined the cluster, as the member list says.
    judgement: URIRef  # How far a criterion was met, a concept of the judgement scale.
    judgementStructure: URIRef  # Judgements by cluster, criterion and cycle.
    justifies: URIRef  # The judgement a constat supports.
    localId: URIRef  # A criterion's position in the report, e.g. 3.3 (subproperty of skos:notation).
    memberCount: URIRef  # The stated number of members.
    memberCountStructure: URIRef  # Member counts by cluster and cycle.
    memberGrowth: URIRef  # The stated change of the number of members against the previous cycle, in percent.
    membersInProvince: URIRef  # The number of a cluster's members in one province, stated or counted.
    mentionedIn: URIRef  # A document that names the organisation.
    ordinal: URIRef  # The rank of a cycle since the cluster's recognition (7 for the seventh three-year period).
    organisationType: URIRef  # The category of a member organisation (subproperty of org:classification).
    organisationTypes: URIRef  # The member categories the reports distinguish.
    page: URIRef  # The page (1 for the first) of the source document a fact came from.
    pageCount: URIRef  # The number of pages of the document.
    partner: URIRef  # One of the two organisations of a relation.
    provinceMemberCountStructure: URIRef  # Member counts by cluster, cycle and province.
    question: URIRef  # The evaluation question a constat or judgement belongs to.
    questionNumber: URIRef  # The number of an evaluation question (1 for the first).
    rank: URIRef  # A judgement's position on the scale, 0 for the weakest; used to compare and sort.
    refProvince: URIRef  # The Belgian province an observation is about (a provinces concept; sdmx refArea).
    region: URIRef  # The Belgian region of an organisation's seat, derived from its postal code.
    relationKind: URIRef  # partenariat, évaluation or commande: what the document says of the link.
    score: URIRef  # The confidence of an assignment, between 0 and 1.
    servesAxis: URIRef  # Shortcut: a decree axis the activity serves.
    bearsOnConstat: URIRef  # Shortcut: an evaluation finding the activity is linked to.
    constatAxis: URIRef  # A decree axis the finding is about, according to the axis classifier.
    polarity: URIRef  # positive, negative or mixed: the tone of the finding, read from cue words.
    sha256: URIRef  # The sha256 digest of the file, lower-case hexadecimal.
    softwareVersion: URIRef  # The version of miner that produced the facts.
    text: URIRef  # The exact text of a question, criterion or constat.
    theme: URIRef  # The theme of a criterion, as the framework names it.
    # cycles and stated quantities (issue 6)
    QuantityObservation: URIRef  # A count, percentage or amount a document states for one cluster and cycle.
    baseline: URIRef  # What a change is measured against (previous-cycle: the end of the previous cycle).
    baselineCycle: URIRef  # The cycle a change is measured against.
    cycleConflict: URIRef  # A contradiction about an evaluation's cycle, reported, not resolved.
    cycleSource: URIRef  # Where an evaluation's cycle comes from: text, pipeline or date.
    derived: URIRef  # True when miner computed the value from other statements instead of reading it.
    measure: URIRef  # What is measured: members, member_growth, revenue_share or amount.
    measureDetail: URIRef  # The document's words that make the measure precise (own revenue, entities).
    referenceYear: URIRef  # The year the value refers to, when the document gives it.
    status: URIRef  # actual, target, change (against a baseline) or derived (computed by miner).
    unit: URIRef  # count, percent or EUR.
    value: URIRef  # The stated value, in the unit of miner:unit.
    # tags under any concept scheme, objective contracts and their indicators (issue 26)
    ConceptAssignment: (
        URIRef  # The qualified link of an activity to a concept of a scheme, naming the scheme and the concept.
    )
    conceptAssignment: URIRef  # The qualified link of an activity to a concept of a scheme.
    scheme: URIRef  # The concept scheme of an assignment.
    concept: URIRef  # The concept of an assignment, a member of its scheme.
    servesConcept: URIRef  # Shortcut: a concept of any scheme that the activity serves.
    IndicatorObservation: (
        URIRef  # An indicator of a cluster's objective contract for one period: target and achieved value.
    )
    indicatorStructure: URIRef  # Indicators by cluster, period and indicator.
    componentIndicator: URIRef  # The indicator dimension.
    componentPeriod: URIRef  # The period dimension.
    componentTarget: URIRef  # The target value measure.
    componentAchieved: URIRef  # The achieved value measure.
    indicator: URIRef  # The indicator's name, as the document writes it.
    objective: URIRef  # The contract's objective the indicator measures.
    period: URIRef  # The objective contract's period (2024-2028).
    targetValue: URIRef  # The value the contract sets for the indicator.
    achievedValue: URIRef  # The value the document says was achieved for the indicator.
    # OCR of scanned documents (issue 17)
    OcrPage: (
        URIRef  # A page of a scanned document read by character recognition, with the mean confidence of its words.
    )
    ocr: URIRef  # True when the text of at least one page of the document comes from character recognition.
    ocrEngine: URIRef  # The character recognition engine that read the scanned pages (tesseract).
    ocrEngineVersion: URIRef  # The version of the character recognition engine.
    ocrLanguage: URIRef  # The OCR engine's language data (fra, fra+eng).
    ocrPage: URIRef  # A page the extraction read by OCR.
    meanConfidence: URIRef  # The mean confidence (0 to 100) the OCR engine gives the words of a page.
    wordCount: URIRef  # The number of words OCR found on a page.
    ocrConfidence: URIRef  # The mean confidence (0 to 100) of the OCR'd words of a fact (a constat).
    lowConfidence: URIRef  # True when the OCR'd words of a fact have a confidence under the threshold.
    # summaries written at build time (issue 27)
    EvaluationSummary: URIRef  # The counts of one evaluation as its document gives them: criteria judged and constats, with the cluster's and the cycle's labels.
    QuestionSummary: URIRef  # The counts of one evaluation question: criteria judged and constats.
    JudgementTally: URIRef  # The number of criteria of one question that get one judgement.
    summarises: URIRef  # The evaluation or question whose counts this summary gives.
    hasQuestionSummary: URIRef  # The summary of one of the evaluation's questions.
    hasJudgementTally: URIRef  # The tally of one of the judgements given under this question.
    clusterLabel: URIRef  # The label of the evaluated cluster, copied onto the summary to answer without a join.
    cycleLabel: URIRef  # The label of the evaluated cycle, copied onto the summary to answer without a join.
    criterionCount: URIRef  # The number of (distinct) judged criteria a summary counts.
    constatCount: URIRef  # The number of (distinct) constats a summary counts.
    CriterionSummary: URIRef  # One judgement observation as listing queries and the pairing of cycles read it: cluster and cycle labels, date, criterion id and theme, judgement, page (the file is read from the document).
    ConstatSummary: URIRef  # One constat as listing queries read it: number, question, text, page and the criteria it justifies; the document's values (cluster, cycle, file, digest, extraction) are read once from the evaluation summary of its graph.
    summaryText: URIRef  # A fact's text copied onto its summary: a query for miner:text finds only facts.
    criterionIds: URIRef  # The ids of the criteria a constat justifies, in reading order, separated by spaces.
    summaryNotation: URIRef  # The criterion's id or the constat's number, copied onto its summary.
    summaryPage: URIRef  # The page of the document the summarised fact is read on, copied onto its summary.
    summaryTheme: URIRef  # The theme of the judged criterion, copied onto the criterion summary.
    summaryJudgement: URIRef  # The judgement level of the observation, copied onto the criterion summary.
    summaryQuestionNumber: URIRef  # The number of the constat's evaluation question, copied onto the constat summary.
    # judgement changes across cycles, derived in the store from the criterion summaries (issue 27)
    JudgementChange: URIRef  # One criterion of one cluster judged at another level in a later cycle: the two judgements, cycles and dates, from two criterion summaries.
    EvaluationSpan: URIRef  # Two evaluations of one cluster a judgement change spans: the later one's cluster label, both cycle labels and dates.
    spans: URIRef  # The two evaluations (miner:EvaluationSpan) a judgement change spans.
    changesGraph: URIRef  # The derived graph where the judgement changes of this evaluation's cluster are kept.
    judgementBefore: URIRef  # The judgement of the earlier cycle of a change.
    judgementAfter: URIRef  # The judgement of the later cycle of a change.
    cycleLabelBefore: URIRef  # The label of the earlier cycle of an evaluation span.
    cycleLabelAfter: URIRef  # The label of the later cycle of an evaluation span.
    dateBefore: URIRef  # The date of the earlier evaluation of a span.
    dateAfter: URIRef  # The date of the later evaluation of a span.
    ChangeKind: URIRef  # A kind of judgement change: a criterion theme judged at one level, then at another; one IRI for the whole store.
    changeKind: URIRef  # A kind (miner:ChangeKind) of the changes between the two evaluations of a span.
    kindTheme: URIRef  # The criterion theme of a kind of judgement change.
    kindJudgementBefore: URIRef  # The earlier judgement of a kind of judgement change.
    kindJudgementAfter: URIRef  # The later judgement of a kind of judgement change.


class OA(DefinedNamespace):
    """Web Annotation vocabulary, the terms miner uses. Generated from: http://www.w3.org/ns/oa#"""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/oa#")

    Annotation: URIRef  # The class for Web Annotations.
    SpecificResource: URIRef  # A resource identified by a source and a selector within it.
    TextQuoteSelector: URIRef  # Selects a segment of text by quoting it exactly.
    FragmentSelector: URIRef  # Selects a part of a resource by a fragment identifier (RFC 3778 for PDF).
    hasSource: URIRef  # The resource a SpecificResource is a part of.
    hasSelector: URIRef  # A selector that picks the part out of the source.
    exact: URIRef  # The exact text selected.
    hasTarget: URIRef  # What an annotation is about.


class ROV(DefinedNamespace):
    """Registered Organization Vocabulary, the terms miner uses. Generated from: http://www.w3.org/ns/regorg#"""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/regorg#")

    registration: URIRef  # The legal identifier of an organisation in a register (the BCE number).


class ADMS(DefinedNamespace):
    """Asset Description Metadata Schema, the terms miner uses. Generated from: http://www.w3.org/ns/adms#"""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/adms#")

    Identifier: URIRef  # An identifier in a particular context, with the agency that issued it.
    schemaAgency: URIRef  # The name of the agency that issued the identifier.


class LOCN(DefinedNamespace):
    """ISA Core Location vocabulary, the terms miner uses. Generated from: http://www.w3.org/ns/locn#"""

    _fail = True
    _NS = Namespace("http://www.w3.org/ns/locn#")

    Address: URIRef  # A postal address.
    address: URIRef  # The address of a resource.
    postCode: URIRef  # The postal code of an address.
    postName: URIRef  # The post town (municipality) of an address.
    adminUnitL2: URIRef  # The second administrative level of an address: the province.


AXES = Namespace("https://w3id.org/miner/axes/")
AXIS_SCHEME = URIRef("https://w3id.org/miner/axes")
MISSIONS = Namespace("https://w3id.org/miner/missions/")
MISSION_SCHEME = URIRef("https://w3id.org/miner/missions")
JUDGEMENTS = Namespace("https://w3id.org/miner/judgements/")
JUDGEMENT_SCHEME = URIRef("https://w3id.org/miner/judgements")
JUDGEMENT_ORDER = JUDGEMENTS["order"]
PROVINCES = Namespace("https://w3id.org/miner/provinces/")
PROVINCE_SCHEME = URIRef("https://w3id.org/miner/provinces")
PROVINCE_CODES = {
    "Bruxelles-Capitale": "BE10",
    "Anvers": "BE21",
    "Limbourg": "BE22",
    "Flandre-Orientale": "BE23",
    "Brabant flamand": "BE24",
    "Flandre-Occidentale": "BE25",
    "Brabant wallon": "BE31",
    "Hainaut": "BE32",
    "Liège": "BE33",
    "Luxembourg": "BE34",
    "Namur": "BE35",
}
"""French name (as miner.nlp.geography writes it) → NUTS 2 code, the local name of its concept in
ontology/provinces.ttl; any other name (a postal code that places nothing) is province:unknown."""
BCE_AGENCY = "Banque-Carrefour des Entreprises (BCE/KBO)"
"""The register that issues Belgian enterprise numbers, written as the identifiers' adms:schemaAgency."""

_NAMESPACES: dict[str, str] = {
    "miner": str(MINER._NS),
    "axis": str(AXES),
    "mission": str(MISSIONS),
    "judgement": str(JUDGEMENTS),
    "province": str(PROVINCES),
    "org": str(ORG._NS),
    "rov": str(ROV._NS),
    "adms": str(ADMS._NS),
    "locn": str(LOCN._NS),
    "prov": str(PROV._NS),
    "skos": str(SKOS._NS),
    "dcterms": str(DCTERMS._NS),
    "time": str(TIME._NS),
    "qb": str(QB._NS),
    "oa": str(OA._NS),
    "rdf": str(RDF._NS),
    "rdfs": str(RDFS._NS),
    "xsd": str(XSD._NS),
    "owl": str(OWL._NS),
}
if _NAMESPACES != PREFIXES:  # a misspelt namespace fails at import, not in a query
    raise RuntimeError("miner.rdf.prefixes and the vocabulary's namespaces disagree")
"""Prefixes bound in exports and offered to queries."""


def axis(number: int) -> URIRef:
    """The concept of decree axis ``number`` (1..6).

    >>> axis(4)
    rdflib.term.URIRef('https://w3id.org/miner/axes/4')
    """
    if not 1 <= number <= 6:
        raise ValueError(f"decree axes are numbered 1 to 6, not {number}")
    return AXES[str(number)]


def province_concept(name: str) -> URIRef:
    """The provinces concept of a province's French name, named by its NUTS 2 code.

    >>> province_concept("Liège"), province_concept("inconnu")
    (rdflib.term.URIRef('https://w3id.org/miner/provinces/BE33'), rdflib.term.URIRef('https://w3id.org/miner/provinces/unknown'))
    """
    return PROVINCES[PROVINCE_CODES.get(name, "unknown")]


def province_name(iri: str | None) -> str | None:
    """The French name of a provinces concept (None for none, or for province:unknown), read
    without the ontology graph, so a store holding only member lists still names provinces.

    >>> province_name("https://w3id.org/miner/provinces/BE34")
    'Luxembourg'
    """
    names = {str(PROVINCES[code]): name for name, code in PROVINCE_CODES.items()}
    return names.get(str(iri)) if iri else None


def judgement_concept(value: str) -> URIRef:
    """The scale concept of a judgement label ("Non atteint", "Partiel", ...).

    >>> judgement_concept("Non atteint")
    rdflib.term.URIRef('https://w3id.org/miner/judgements/non-atteint')
    """
    return JUDGEMENTS[slugify(value)]


class Minter:
    """IRIs of data under one base IRI. Each method takes the content that identifies the thing."""

    def __init__(self, base: str | None = None):
        base = base or DEFAULT_BASE_IRI
        if not re.match(r"^[a-z][a-z0-9+.-]*:", base, re.I) or any(c in base for c in ' <>"{}|\\^`'):
            raise ValueError(f"base IRI {base!r} is not an absolute IRI")
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def _iri(self, *parts: str | int) -> URIRef:
        return URIRef(self.base + "/".join(str(p) for p in parts))

    def cluster(self, name: str) -> URIRef:
        return self._iri("cluster", slugify(name))

    def organisation(self, name: str) -> URIRef:
        return self._iri("organisation", slugify(name))

    def cycle(self, cluster: str, cycle_slug: str) -> URIRef:
        return self._iri("cluster", slugify(cluster), cycle_slug)

    def evaluation(self, cluster: str, cycle_slug: str) -> URIRef:
        return self._iri("cluster", slugify(cluster), cycle_slug, "evaluation")

    def question(self, cluster: str, cycle_slug: str, number: int) -> URIRef:
        return self._iri("cluster", slugify(cluster), cycle_slug, "question", number)

    def constat(self, cluster: str, cycle_slug: str, number: int) -> URIRef:
        return self._iri("cluster", slugify(cluster), cycle_slug, "constat", number)

    def judgement(self, cluster: str, cycle_slug: str, criterion_slug: str) -> URIRef:
        return self._iri("cluster", slugify(cluster), cycle_slug, "judgement", criterion_slug)

    def dataset(self, cluster: str, cycle_slug: str, name: str) -> URIRef:
        return self._iri("cluster", slugify(cluster), cycle_slug, "dataset", name)

    def member_count(self, cluster: str, cycle_slug: str, key: str) -> URIRef:
        return self._iri("cluster", slugify(cluster), cycle_slug, "members", key)

    def province_count(self, cluster: str, cycle_slug: str, province: str, source: str) -> URIRef:
        """Members in one province; ``source`` ("report", "list") keeps a stated count apart from
        one counted on a member list."""
        return self._iri("cluster", slugify(cluster), cycle_slug, "provinces", source, slugify(province))

    def membership(self, cluster: str, cycle_slug: str, member_key: str) -> URIRef:
        """One organisation's membership of a cluster during a cycle; ``member_key`` is its BCE
        number when valid (the same member across lists), else its name's slug."""
        return self._iri("cluster", slugify(cluster), cycle_slug, "membership", slugify(member_key))

    def partnership(self, sha256: str, first: str, second: str, kind: str) -> URIRef:
        """A relation stated by one document between two organisations (IRIs, order-free)."""
        a, b = sorted((first, second))
        key = slugify(f"{a.rsplit('/', 1)[-1]}-{b.rsplit('/', 1)[-1]}-{kind}")
        return self._iri("document", sha256, "relation", key)

    def indicator(self, sha256: str, objective: str | None, indicator: str) -> URIRef:
        """An indicator as one document states it (a contract's target, an evaluation's achieved
        value): the same indicator in two documents gives two observations, each with its source."""
        key = f"{objective or ''}\n{indicator}"
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]  # long names share a slug's start
        return self._iri("document", sha256, "indicator", f"{slugify(indicator)}-{digest}")

    def activity(self, cluster: str, activity_id: str) -> URIRef:
        return self._iri("cluster", slugify(cluster), "activity", slugify(activity_id))

    def organisations_graph(self, sha256: str) -> URIRef:
        """The named graph of the organisations, members and relations read from one document."""
        return self._iri("graph", sha256, "organisations")

    def criterion(self, criterion_slug: str) -> URIRef:
        """Criteria are shared by all clusters and cycles: the framework is the same for all."""
        return self._iri("criterion", criterion_slug)

    def document(self, sha256: str) -> URIRef:
        return self._iri("document", sha256)

    def graph(self, sha256: str) -> URIRef:
        """The named graph holding every fact read from one document."""
        return self._iri("graph", sha256)

    def summary(self, sha256: str, *parts: str | int) -> URIRef:
        """The summary of one document's evaluation (``parts``: of a question, of a judgement in it);
        minted per document, so two documents of one evaluation keep their own counts."""
        return self._iri("graph", sha256, "summary", *parts)

    def changes_graph(self, cluster: str) -> URIRef:
        """The derived named graph of one cluster's judgement changes across cycles: rewritten by the
        store whenever an evaluation graph of that cluster is written or dropped."""
        return self._iri("graph", "changes", slugify(cluster))

    def run(self, sha256: str) -> URIRef:
        """The extraction run of a document; one per document, rewritten on re-ingest."""
        return self._iri("run", sha256)

    def ocr_page(self, sha256: str, page: int) -> URIRef:
        """How the extraction run of a document read one of its pages by OCR."""
        return self._iri("run", sha256, "page", str(page))

    def agent(self, version: str) -> URIRef:
        return self._iri("agent", "miner", slugify(version))

    def ontology_graph(self) -> URIRef:
        """The named graph holding ontology/*.ttl, reloaded whole by every build."""
        return self._iri("graph", "ontology")

    def scheme_graph(self, name: str) -> URIRef:
        """The named graph of a user's concept scheme used in a build, beside the ontology's."""
        return self._iri("graph", "ontology", "scheme", slugify(name))

    @staticmethod
    def evidence(fact: URIRef) -> URIRef:
        """The Web Annotation SpecificResource of a fact; its selectors hang below it."""
        return URIRef(f"{fact}/evidence")
