"""OCR of scanned reports: the shared scan and scans made here give the born-digital structure.

The shared scan (200 dpi grey JPEG pages, no text layer) must give the gold structure of
``expected.json`` with constat texts within 1 % character error rate; a scan these tests make from
the born-digital report (150 dpi, rotated 1°, noise, blur, JPEG) must too; ``miner build`` of a
scan must give a graph whose constats have pages and boxes and that passes ``miner validate``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import EVAL_EXPECTED, EVAL_PDF, SHARED
from timeouts import scaled
from typer.testing import CliRunner

from corpora.render.scan import make_scan
from miner.errors import InputError
from miner.extract.evaluation import extract_evaluation
from miner.read import ocr, ocr_text, scan_image
from miner.read.isolate import Limits, report_progress, run_isolated
from miner.records import Evaluation

pytest.importorskip("tesserocr", reason="OCR needs tesserocr (pip) and tesseract-ocr-fra (apt)")

SCAN = SHARED / "corpora" / "scans" / "evaluation-infopole-2025-scan.pdf"
MAX_CER = 0.01
runner = CliRunner()


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def gold() -> dict:
    return json.loads(EVAL_EXPECTED.read_text(encoding="utf-8"))


def constat_cer(evaluation: Evaluation) -> float:
    """Character error rate of the constat texts against the gold (a missing constat counts whole)."""
    texts = {
        c["number"]: c["text"]
        for q in gold()["questions"]
        for cr in q["criteria"]
        for c in cr["constats"]
        if "text" in c
    }
    found = {c.number: c.text for c in evaluation.constats}
    errors = sum(edit_distance(found.get(number, ""), text) for number, text in texts.items())
    return errors / sum(len(text) for text in texts.values())


def assert_gold_structure(evaluation: Evaluation) -> None:
    expected = gold()
    assert [q.number for q in evaluation.questions] == [q["number"] for q in expected["questions"]]
    assert sum(len(q.criteria) for q in evaluation.questions) == 18
    assert len(evaluation.constats) == 29
    for question, gold_question in zip(evaluation.questions, expected["questions"]):
        assert question.text == gold_question["text"]
        got = [(c.theme, c.judgement.value if c.judgement else None, c.constats) for c in question.criteria]
        want = [(c["theme"], c["judgement"], [k["number"] for k in c["constats"]]) for c in gold_question["criteria"]]
        assert got == want


@pytest.fixture(scope="module")
def scan_evaluation() -> Evaluation:
    return extract_evaluation(SCAN)


@pytest.fixture(scope="module")
def degraded_scan(tmp_path_factory) -> Path:
    return make_scan(EVAL_PDF, tmp_path_factory.mktemp("scan") / "degraded.pdf", dpi=150, angle=1.0, noise=12.0)


# ---------------------------------------------------------------------------------------------
# The shared scan


def test_shared_scan_gives_the_gold_structure(scan_evaluation):
    assert_gold_structure(scan_evaluation)
    metadata = scan_evaluation.metadata
    assert (metadata.cluster, str(metadata.date), metadata.evaluator) == ("INFOPOLE cluster TIC", "2025-10-10", "KPMG")
    cer = constat_cer(scan_evaluation)
    print(f"\nshared scan: constat text CER {cer:.3%} (limit {MAX_CER:.0%})")
    assert cer <= MAX_CER


def test_shared_scan_records_its_ocr_and_every_constat_has_a_box(scan_evaluation):
    info = scan_evaluation.source.ocr
    assert info is not None and info.engine == "tesseract" and info.language == "fra"
    assert info.version[0].isdigit()
    assert [p.page for p in info.pages] == list(range(1, 10))
    assert all(p.words > 0 and 0 < (p.confidence or 0) <= 100 for p in info.pages)
    threshold = ocr.OcrSettings().low_confidence
    for constat in scan_evaluation.constats:
        prov = constat.provenance
        assert prov is not None and prov.page in constat.pages and prov.bbox is not None
        x0, top, x1, bottom = prov.bbox
        assert 0 <= x0 < x1 <= 596 and 0 <= top < bottom <= 843
        assert constat.confidence is not None and 0 < constat.confidence <= 100
        assert constat.low_confidence == (constat.confidence < threshold)
    flagged = [c.number for c in scan_evaluation.constats if c.low_confidence]
    assert [w for w in scan_evaluation.warnings if "OCR confidence" in w] == [
        f"constat {c.number}: OCR confidence {c.confidence:g} is low; check its text"
        for c in scan_evaluation.constats
        if c.number in flagged
    ]


def test_the_graph_says_ocr_and_flags_low_confidence_constats(scan_evaluation):
    from rdflib import Literal

    from miner.rdf.evaluation import build_evaluation_graph
    from miner.rdf.vocab import MINER, RDF

    g = build_evaluation_graph(scan_evaluation, {"generated_at": "2025-01-01T00:00:00+00:00"})
    assert len(list(g.subjects(MINER.ocr, Literal(True)))) == 1
    assert [str(o) for o in g.objects(None, MINER.ocrEngine)] == ["tesseract"]
    assert len(list(g.subjects(RDF.type, MINER.OcrPage))) == 9
    numbers = {int(g.value(k, MINER.constatNumber)) for k in g.subjects(MINER.lowConfidence, Literal(True))}
    assert numbers == {c.number for c in scan_evaluation.constats if c.low_confidence}
    assert len(list(g.subject_objects(MINER.ocrConfidence))) == 29


def test_the_born_digital_report_is_not_ocred():
    evaluation = extract_evaluation(EVAL_PDF)
    assert evaluation.source.ocr is None
    assert all(c.confidence is None and not c.low_confidence for c in evaluation.constats)
    # boxes come from the same alignment of words with cells as on a scan
    assert all(c.provenance and c.provenance.bbox for c in evaluation.constats)


# ---------------------------------------------------------------------------------------------
# Scans made here


@pytest.mark.long  # over 15 s on an idle machine: make test-long
def test_a_rotated_noisy_150_dpi_scan_still_gives_the_structure(degraded_scan):
    evaluation = extract_evaluation(degraded_scan)
    assert_gold_structure(evaluation)
    assert all(abs(p.skew - 1.0) <= 0.15 for p in evaluation.source.ocr.pages)
    cer = constat_cer(evaluation)
    print(f"\n150 dpi, 1 degree, noisy scan: constat text CER {cer:.3%}")
    assert cer <= MAX_CER


def test_build_of_a_scan_gives_constats_with_pages_and_boxes_and_validates(tmp_path):
    from miner.cli.app import app
    from miner.store.local import open_store

    scan = make_scan(EVAL_PDF, tmp_path / "q1.pdf", dpi=150, angle=-0.7, noise=8.0, pages=[0, 1, 2])
    store = tmp_path / "store"
    result = runner.invoke(app, ["build", str(scan), "--store", str(store)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["validate", "--store", str(store)])
    assert result.exit_code == 0 and "no violation" in result.output, result.output
    rows = list(
        open_store(store, read_only=True).query("""
        PREFIX miner: <https://w3id.org/miner/ontology#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?number ?page ?fragment ?confidence WHERE { GRAPH ?g {
            ?k a miner:Constat ; miner:constatNumber ?number ; miner:page ?page ; miner:ocrConfidence ?confidence ;
               miner:evidence ?evidence .
            ?evidence oa:hasSelector ?selector . ?selector a oa:FragmentSelector ; rdf:value ?fragment .
        } } ORDER BY ?number""")
    )
    assert [int(r[0].value) for r in rows] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert all(r[2].value.startswith(f"page={r[1].value}&viewrect=") for r in rows)
    asked = open_store(store, read_only=True).query("""
        PREFIX miner: <https://w3id.org/miner/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        ASK { GRAPH ?g { ?doc miner:ocr true . ?run prov:used ?doc ; miner:ocrEngine "tesseract" ; miner:ocrEngineVersion ?v ;
                             miner:ocrPage [ miner:page 3 ; miner:meanConfidence ?c ] } }""")
    assert bool(asked)


# ---------------------------------------------------------------------------------------------
# The image steps, on images drawn here


def _grid_image() -> np.ndarray:
    """A 200 dpi page part: a 3-column ruled table under a dark title band holding light text."""
    image = np.full((600, 900), 255, np.uint8)
    image[100:160, 100:800] = 40  # the band
    image[120:140, 130:400] = 250  # light "text" in it
    for y in (160, 300, 450):
        image[y : y + 2, 100:800] = 0
    for x in (100, 330, 560, 798):
        image[160:452, x : x + 2] = 0
    for x in range(120, 300, 7):
        image[200:215, x : x + 3] = 0  # a "word" in a cell: strokes, not a solid block
    return image


def test_rules_and_dark_bands_are_found_on_the_image():
    image = _grid_image()
    rules, bands = scan_image.find_rules(image < 128, 200 / 72, scan_image.ImageSettings())
    assert bands == [(100, 100, 800, 162)]  # the band and the rule under it are one dark area
    horizontal = sorted(r for r in rules if r[2] - r[0] > r[3] - r[1])
    vertical = sorted(r for r in rules if r[2] - r[0] < r[3] - r[1])
    # the rule touching the band is the band's bottom edge (pdfplumber takes a rect's edges as rules)
    assert [(r[1], r[3]) for r in horizontal] == [(300, 302), (450, 452)]
    assert [r[0] for r in vertical] == [100, 330, 560, 798]
    cleaned = scan_image.clean_for_ocr(image, image < 128, rules, bands, 1)
    assert cleaned[130, 200] < 128 and cleaned[105, 110] > 200  # band text dark, band ground light
    assert cleaned[301, 450] == 255 and cleaned[205, 121] == 0  # rules erased, words kept


def _page_masks(path: Path, pages: list[int]):
    """(ink mask, pixels per point) of pages of a scan, rendered as OCR renders them."""
    import pdfplumber
    import pypdfium2

    settings = ocr.OcrSettings.resolve(None)
    document = pypdfium2.PdfDocument(str(path))
    with pdfplumber.open(path) as pdf:
        for number in pages:
            page = pdf.pages[number - 1]
            dpi = ocr._page_dpi(page, settings)
            gray = np.asarray(document[number - 1].render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
            yield gray < scan_image.otsu_threshold(gray), gray.shape[1] / float(page.width)
    document.close()


@pytest.mark.parametrize("which", ["shared scan", "generated 150 dpi scan"])
def test_rules_found_on_a_reduced_image_are_those_of_the_full_search(which, degraded_scan):
    """Rules and bands are looked for on a reduced copy and measured at full resolution: the very
    boxes the full-resolution search gives, on the shared scan and on a generated one."""
    path, pages = (SCAN, [1, 2, 3, 8]) if which == "shared scan" else (degraded_scan, [2, 3])
    image = scan_image.ImageSettings()
    found = 0
    for dark, px_per_pt in _page_masks(path, pages):
        reduced = scan_image.find_rules(dark, px_per_pt, image)
        assert reduced == scan_image.find_rules(dark, px_per_pt, image, None)
        found += len(reduced[0]) + len(reduced[1])
    assert found >= 10


def test_font_size_from_ink_height_and_letters():
    # 10 pt text: "une" spans the x-height, "Le" a capital's height, "typique" ascender to descender
    assert [round(h / ocr_text.ink_share(t), 1) for t, h in (("une", 5.2), ("Le", 7.3), ("typique", 9.4))] == [10.0] * 3


def test_skew_is_measured_from_the_row_profile():
    from PIL import Image

    image = np.full((1200, 1000), 255, np.uint8)
    for y in range(100, 1100, 40):
        image[y : y + 8, 100:900] = 0
    for angle in (1.5, -0.8):
        tilted = np.asarray(Image.fromarray(image).rotate(angle, fillcolor=255))
        assert abs(scan_image.skew_angle(tilted < 128, scan_image.ImageSettings()) - angle) <= 0.1


def test_ocr_mode_and_garbage_text_layers():
    import pdfplumber

    settings = ocr.OcrSettings()
    with pdfplumber.open(EVAL_PDF) as born, pdfplumber.open(SCAN) as scanned:
        assert not ocr.needs_ocr(born.pages[1], settings)
        assert ocr.needs_ocr(born.pages[1], ocr.OcrSettings(mode="always"))
        assert ocr.needs_ocr(scanned.pages[1], settings)
        assert not ocr.needs_ocr(scanned.pages[1], ocr.OcrSettings(mode="never"))
    assert ocr._garbage("xqz vrtk plmw zzq brrk tqx wvl kkj", settings)
    # a full-page image under a stamped page number is a scan; the born-digital cover is not
    stamped = type(
        "Page",
        (),
        {
            "width": 100,
            "height": 100,
            "chars": [{}],
            "extract_text": lambda self: "Page 3",
            "images": [{"x0": 0, "x1": 100, "top": 0, "bottom": 100}],
        },
    )()
    assert ocr.needs_ocr(stamped, settings)
    stamped.images = []
    assert not ocr.needs_ocr(stamped, settings)
    assert ocr._garbage("(cid:12)(cid:44)(cid:3)(cid:91)(cid:5)(cid:77)", settings)
    assert not ocr._garbage("Le cluster a organisé des rencontres entre les membres du secteur", settings)
    with pytest.raises(ValueError, match="choose auto, always or never"):
        ocr.OcrSettings(mode="sometimes")  # type: ignore[arg-type]


def test_a_page_over_its_time_limit_keeps_what_was_read_and_says_so():
    import pdfplumber

    with pdfplumber.open(SCAN) as pdf:
        result = ocr.recognise_pages(SCAN, [pdf.pages[1]], ocr.OcrSettings(page_timeout=0.001))[2]
    assert result.warnings == ["page 2: OCR stopped after 0.001 s; its text is incomplete"]


def test_pages_recognised_in_parallel_give_the_same_words():
    import pdfplumber

    with pdfplumber.open(SCAN) as pdf:
        pages = pdf.pages[2:4]
        one = ocr.recognise_pages(SCAN, pages, ocr.OcrSettings(jobs=1))
        two = ocr.recognise_pages(SCAN, pages, ocr.OcrSettings(jobs=2))
    assert [w.text for w in one[3].words] == [w.text for w in two[3].words]
    assert [w.text for w in one[4].words] == [w.text for w in two[4].words]


# ---------------------------------------------------------------------------------------------
# Failures and limits


def test_missing_tesseract_data_is_one_clear_line(monkeypatch, tmp_path):
    from miner.cli.app import app

    monkeypatch.setattr(ocr, "_tessdata", lambda language: None)
    with pytest.raises(InputError) as info:
        extract_evaluation(SCAN)
    assert info.value.reason == f"OCR needed but Tesseract's 'fra' language data was not found: {ocr.INSTALL_HINT}"
    result = runner.invoke(app, ["extract", str(SCAN), "--out", str(tmp_path)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [f"error: {SCAN}: {info.value.reason}"]
    # --ocr never does not need Tesseract: the scan is refused for its missing text layer
    result = runner.invoke(app, ["extract", str(SCAN), "--out", str(tmp_path), "--ocr", "never"])
    assert result.stderr.strip() == f"error: {SCAN}: no text layer; OCR needed (--ocr auto)"


PROGRESS_LIMITS = Limits(timeout=scaled(0.8), jobs=2)


def _steady(key: str) -> str:
    """Works twice as long as the time limit, reporting progress every tenth of it."""
    for _ in range(20):
        time.sleep(PROGRESS_LIMITS.timeout / 10)
        report_progress()
    return key


def _silent(key: str) -> str:
    while True:  # works without a word until the time limit stops it
        time.sleep(0.1)


def test_progress_reports_restart_the_time_limit():
    outcomes = {
        o.key: o
        for o in run_isolated(
            lambda key: _steady(key) if key == "steady" else _silent(key), ["steady", "silent"], PROGRESS_LIMITS
        )
    }
    assert outcomes["steady"].ok and outcomes["steady"].value == "steady"
    assert outcomes["silent"].error == f"timed out after {PROGRESS_LIMITS.timeout:g} s"


def test_a_header_row_misread_on_the_next_page_is_still_a_repeat():
    from miner.read.tables import Fragment, TableSettings, TableStitcher

    def fragment(page: int, caption: str, rows: list[list[str]]) -> Fragment:
        grid = [[caption, None, None], ["Thème", "Critère", "Jugement"], *rows]
        merges = [[None, "left", "left"]] + [[None, None, None]] * (len(grid) - 1)
        return Fragment(page, (60, 80, 530, 760), grid, merges, [60.0, 200.0, 350.0, 530.0], 842.0, text_top=80)

    first = fragment(1, "Question d'évaluation 1 : Dans quelle mesure", [["Gouvernance", "Le cluster", "Atteint"]])
    second = fragment(
        2, "_Question d'évaluation 1 : Dans quelle mesure 1", [["Communication", "Le cluster", "Partiel"]]
    )
    for fuzzy, rows in ((True, 2), (False, 3)):
        stitcher = TableStitcher(first, set(), TableSettings(), margin_band=0.1, fuzzy=fuzzy)
        assert stitcher.continues(second)
        stitcher.add(second)
        assert len(stitcher.table.rows) == rows  # exact matching keeps the misread caption as a row


def test_each_ocr_page_reaches_the_parent_as_counted_progress():
    """A scanned report's pages move the parent's bar one by one, in order, from inside the worker."""
    import pdfplumber

    def work(key: str) -> str:
        with pdfplumber.open(SCAN) as pdf:  # a tiny page time limit: the counts matter here, not the words
            found = ocr.recognise_pages(SCAN, pdf.pages[:2], ocr.OcrSettings(jobs=2, page_timeout=0.001))
        return ",".join(str(n) for n in sorted(found))

    seen: list[tuple[str, int, int]] = []
    [outcome] = run_isolated(
        work, ["scan"], Limits(timeout=scaled(60)), on_progress=lambda key, done, total: seen.append((key, done, total))
    )
    assert outcome.ok and outcome.value == "1,2", outcome.error
    assert seen == [("scan", 1, 2), ("scan", 2, 2)]


def test_a_scanned_report_reports_its_pages_as_json_events(tmp_path, capsys):
    """extract_batch, as `miner build` and `miner extract` call it: the pages OCR reads inside the
    file's worker reach the run's reporter as events, with the time left once a pace is known."""
    import json

    from miner.extract.evaluation import extract_batch
    from miner.pipeline.progress import Reporter

    scan = make_scan(EVAL_PDF, tmp_path / "two-pages.pdf", dpi=100, angle=0.0, noise=0.0, pages=[0, 1])
    reporter = Reporter("json")
    with reporter.track("extract", 1) as advance:
        extract_batch(
            [scan],
            limits=Limits(timeout=scaled(60)),
            on_done=lambda _key: advance(),
            on_pages=reporter.detail,
            ocr=ocr.OcrSettings(page_timeout=0.001),
        )
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    pages = [(e["item"], e["done"], e["total"]) for e in events if e["event"] == "progress"]
    assert pages == [(str(scan), 1, 2), (str(scan), 2, 2)]
    assert [e["event"] for e in events][0] == "start" and [e["event"] for e in events][-1] == "end"


def test_blobs_found_around_the_ink_left_are_those_of_the_whole_page():
    """Ink windows (rows and columns around the ink, an ink-free margin of the filters' reach) give
    the blobs a whole-page filter and labelling give, in the same order: specks, words, ink at the
    page's edges, runs a margin apart."""
    from scipy import ndimage as ndi

    rng = np.random.default_rng(7)
    for trial in range(20):
        mask = np.zeros((400, 300), bool)
        for _ in range(int(rng.integers(0, 12))):
            y, x = int(rng.integers(0, 400)), int(rng.integers(0, 300))
            mask[y : y + int(rng.integers(1, 12)), x : x + int(rng.integers(1, 40))] = True
        mask[0, 0] = mask[-1, -1] = trial % 2 == 0  # ink touching the page's edges
        tall, wide = 3, 8
        whole = ndi.find_objects(
            ndi.label(ndi.maximum_filter1d(ndi.maximum_filter1d(mask, tall, axis=0), wide, axis=1))[0]
        )
        found = []
        for rows, columns in scan_image.ink_windows(mask, (tall, wide)):
            part = ndi.maximum_filter1d(ndi.maximum_filter1d(mask[rows, columns], tall, axis=0), wide, axis=1)
            found += [
                (
                    slice(ys.start + rows.start, ys.stop + rows.start),
                    slice(xs.start + columns.start, xs.stop + columns.start),
                )
                for ys, xs in ndi.find_objects(ndi.label(part)[0])
            ]
        assert found == whole
    assert scan_image.ink_windows(np.zeros((10, 10), bool), (2, 2)) == []
