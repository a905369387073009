"""A row of the review page read from a PDF list shows "voir la page": the uploaded PDF's page as an
image with the row's box drawn (the evidence viewer's rendering). The reader keeps each PDF row's
box; a spreadsheet's rows have none and get no link."""

from __future__ import annotations

import io

import pytest
from reviewfixture import TINY_LIST, build_small_model

from miner.read.activities import read_table
from miner.serve.evidence import EvidenceSettings
from miner.serve.review import CLIENT_HEADER, ReviewSettings, make_app

HEADERS = {CLIENT_HEADER: "1"}
PAGE_HEIGHT = 842.0  # A4, points
ROWS = [
    ("Date", "Activité"),
    ("2023", "Atelier sur les isolants biosourcés pour les membres"),
    ("2023", "Visite d'un chantier de rénovation en chanvre-chaux"),
    ("2024", "Webinaire sur les marchés publics circulaires"),
]
LEFT, RIGHT, TOP, HEIGHT = 60.0, 520.0, 120.0, 30.0
"""The drawn grid, in points from the page's top-left: row i spans TOP + i*HEIGHT to TOP + (i+1)*HEIGHT."""


def ruled_list(path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.drawString(LEFT, PAGE_HEIGHT - 80, "Liste des activités (document fictif pour les tests)")
    for i in range(len(ROWS) + 1):
        pdf.line(LEFT, PAGE_HEIGHT - TOP - i * HEIGHT, RIGHT, PAGE_HEIGHT - TOP - i * HEIGHT)
    for x in (LEFT, 140.0, RIGHT):
        pdf.line(x, PAGE_HEIGHT - TOP, x, PAGE_HEIGHT - TOP - len(ROWS) * HEIGHT)
    for i, (date, text) in enumerate(ROWS):
        baseline = PAGE_HEIGHT - TOP - i * HEIGHT - 19
        pdf.drawString(LEFT + 6, baseline, date)
        pdf.drawString(146, baseline, text)
    pdf.save()
    return path


@pytest.fixture(scope="module")
def small_model(tmp_path_factory):
    return build_small_model(tmp_path_factory.mktemp("model"))


def test_the_reader_keeps_each_pdf_rows_box(tmp_path):
    table = read_table(ruled_list(tmp_path / "liste.pdf"), isolate=False)
    assert table.columns == list(ROWS[0]) and len(table.rows) == 3
    assert table.pages == [1, 1, 1]
    for i, (x0, top, x1, bottom) in enumerate(table.boxes, start=1):
        assert (x0, x1) == pytest.approx((LEFT, RIGHT), abs=1)
        assert (top, bottom) == pytest.approx((TOP + i * HEIGHT, TOP + (i + 1) * HEIGHT), abs=1)


def test_bullet_items_box_their_continued_lines(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "rapport.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for i, line in enumerate(
        [
            "Rapport d'activités 2022 (fictif)",
            "12/03/2022 – Atelier de veille pour les membres,",
            "organisé à Mons.",
            "• Webinaire sur les bonnes pratiques.",
        ]
    ):
        pdf.drawString(60, 780 - 16 * i, line)
    pdf.save()
    table = read_table(path, isolate=False)
    (top0, bottom0), (top1, bottom1) = [(b[1], b[3]) for b in table.boxes]
    assert bottom0 - top0 > 20 > bottom1 - top1 > 5  # the first item spans its two lines
    assert top0 == pytest.approx(PAGE_HEIGHT - (780 - 16) - 10, abs=3) and top1 > bottom0


def red(pixel) -> bool:
    r, g, b = pixel[:3]
    return r > 180 and g < 80 and b < 80


def test_review_row_links_its_page_image_with_the_box(tmp_path, small_model):
    from PIL import Image
    from starlette.testclient import TestClient

    settings = ReviewSettings(folder=tmp_path / "session", model_dir=tmp_path / "models", model=small_model)
    client = TestClient(make_app(settings), base_url="http://127.0.0.1:8766")
    body = ruled_list(tmp_path / "liste.pdf").read_bytes()
    answer = client.post("/api/upload?name=liste.pdf", content=body, headers=HEADERS)
    assert answer.status_code == 200, answer.text
    page = client.get("/").text
    assert page.count(">voir la page</a>") == 3 and 'href="/page/1.png"' in page
    image = client.get("/page/1.png")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    picture = Image.open(io.BytesIO(image.content)).convert("RGB")
    s = EvidenceSettings()
    scale = picture.width / 595.0
    assert scale == pytest.approx(s.dpi / 72, rel=0.01)
    top, bottom = TOP + 2 * HEIGHT - s.box_margin, TOP + 3 * HEIGHT + s.box_margin  # row 2 (index 1)
    middle = int((LEFT + RIGHT) / 2 * scale)
    column = [red(picture.getpixel((middle, y))) for y in range(picture.height)]
    drawn = [y for y, hit in enumerate(column) if hit]
    assert drawn, "no box drawn"
    assert abs(min(drawn) - top * scale) <= s.box_width + 1 and abs(max(drawn) - bottom * scale) <= s.box_width + 1
    assert not any(column[int((TOP + HEIGHT) * scale) : int((TOP + 2 * HEIGHT - 4) * scale)])  # another row: no box
    # a spreadsheet's rows have no page: no link, and the route says so
    client.post("/api/upload?name=list.csv", content=TINY_LIST.encode(), headers=HEADERS)
    assert "voir la page" not in client.get("/").text
    refused = client.get("/page/0.png")
    assert refused.status_code == 404 and "not read from a PDF page" in refused.json()["error"]
    assert not (settings.folder / "list.pdf").exists()
