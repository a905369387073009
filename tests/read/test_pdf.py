"""PDF layer: reading order on two columns, frames, bad files."""

from __future__ import annotations

import pytest
from conftest import ATLAS_PDF, EVAL_PDF

from miner.errors import InputError
from miner.nlp.text import join_lines
from miner.read.pdf import read_pdf


@pytest.fixture(scope="module")
def atlas(shared):
    return read_pdf(ATLAS_PDF)


def test_atlas_two_columns_in_reading_order(atlas):
    texts = [b.text for b in atlas.blocks]
    i149 = next(i for i, t in enumerate(texts) if "149 entités" in t)
    i89 = next(i for i, t in enumerate(texts) if "89 entités" in t)
    assert i149 < i89
    # the 149 paragraph is whole: the second column did not leak into it
    assert "Données utilisées" not in texts[i149] and "Auteur" not in texts[i149]
    assert atlas.blocks[i149].column == atlas.blocks[i89].column == 1


def test_atlas_metadata_box_is_its_own_block(atlas):
    boxes = [b for b in atlas.blocks if b.kind == "box"]
    assert len(boxes) == 1
    box = boxes[0].text
    for label in ("Niveau spatial", "Données utilisées", "Sources", "Auteur"):
        assert label in box
    assert "149" not in box and "TWIST" not in box


def test_atlas_title_dehyphenated_and_figure(atlas):
    assert atlas.blocks[0].kind == "heading"
    assert "l’Infopôle cluster TIC en Wallonie en 2011" in atlas.blocks[0].text
    assert any(b.kind == "figure" for b in atlas.blocks)


def test_join_lines_keeps_real_compounds():
    vocab = {"développement", "recherche-développement"}
    assert join_lines(["de la recherche-", "développement"], vocab) == "de la recherche-développement"
    assert join_lines(["le dévelop-", "pement"], vocab) == "le développement"
    assert join_lines(["celui-", "ci"], set()) == "celui-ci"
    assert join_lines(["soft\u00ad", "hyphen"], set()) == "softhyphen"
    assert join_lines(["e\ufb03cace\u00a0!"], set()) == "efficace !"


@pytest.fixture()
def bad_files(tmp_path, shared):
    from conftest import EVAL_PDF

    data = EVAL_PDF.read_bytes()
    files = {
        "not-a-pdf.pdf": b"PK\x03\x04 this is a zip, not a PDF",
        "empty.pdf": b"",
        "truncated.pdf": data[: len(data) // 3],
    }
    paths = {}
    for name, content in files.items():
        path = tmp_path / name
        path.write_bytes(content)
        paths[name] = path
    return paths


def test_bad_files_one_clear_reason(bad_files):
    reasons = {}
    for name, path in bad_files.items():
        with pytest.raises(InputError) as info:
            read_pdf(path)
        reasons[name] = info.value.reason
        assert str(path) in str(info.value)
    assert reasons["not-a-pdf.pdf"] == "not a PDF file (no %PDF header)"
    assert reasons["empty.pdf"] == "empty file (0 bytes)"
    assert reasons["truncated.pdf"].startswith("corrupt or truncated PDF")


def _encrypted_pdf(path, password):
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    enc = pdfencrypt.StandardEncryption(password, ownerPassword="owner", canPrint=1)
    c = canvas.Canvas(str(path), encrypt=enc)
    c.drawString(72, 720, "Rapport confidentiel")
    c.save()


def test_encrypted_pdf(tmp_path):
    path = tmp_path / "secret.pdf"
    _encrypted_pdf(path, "s3cret")
    with pytest.raises(InputError, match="encrypted PDF; give its password with --password"):
        read_pdf(path)
    with pytest.raises(InputError, match="the password given is wrong"):
        read_pdf(path, password="nope")
    document = read_pdf(path, password="s3cret")
    assert document.blocks[0].text == "Rapport confidentiel"


def _scanned_pdf(path):
    import io
    import struct
    import zlib

    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    # a tiny grey PNG drawn over the page: pixels, no text layer
    def png(width, height):
        raw = b"".join(b"\x00" + bytes([128]) * width for _ in range(height))

        def chunk(kind, data):
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b"")
        )

    c = canvas.Canvas(str(path))
    c.drawImage(ImageReader(io.BytesIO(png(60, 80))), 50, 50, width=500, height=700)
    c.save()


def test_scanned_pdf_needs_ocr(tmp_path):
    path = tmp_path / "scan.pdf"
    _scanned_pdf(path)
    with pytest.raises(InputError) as info:
        read_pdf(path, ocr="never")
    assert info.value.reason == "no text layer; OCR needed (--ocr auto)"
    with pytest.raises(InputError) as info:
        read_pdf(path)  # OCR runs and finds nothing in a flat grey image
    assert info.value.reason == "no text layer, and OCR found no text in its images"


def _heading_pdf(path):
    """A 12 pt title over 10 pt body lines: a heading at the default size ratio (1.15), not at 1.3."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.setFont("Helvetica", 12)
    c.drawString(72, 760, "Contexte du cluster")
    c.setFont("Helvetica", 10)
    for n, line in enumerate(
        [
            "Le cluster rassemble des entreprises de la filière du chanvre.",
            "Il a été évalué par un bureau indépendant au terme de son cycle.",
            "Les membres ont répondu à une enquête sur les services reçus.",
        ]
    ):
        c.drawString(72, 740 - 12 * n, line)
    c.showPage()
    c.save()
    return path


def test_layout_settings_override_what_is_read(tmp_path):
    path = _heading_pdf(tmp_path / "heading.pdf")
    kinds = [(b.kind, b.text) for b in read_pdf(path).blocks]
    assert kinds[0] == ("heading", "Contexte du cluster") and kinds[1][0] == "paragraph"
    raised = [(b.kind, b.text) for b in read_pdf(path, layout={"heading_size_ratio": 1.3}).blocks]
    assert raised[0] == ("paragraph", "Contexte du cluster") and raised[1:] == kinds[1:]


def test_a_misspelt_read_option_is_an_error_not_ignored():
    """read_pdf and extract_evaluation take ReadOptions as keywords: a typo must not silently read
    the file without its password or with default settings."""
    from miner.extract.evaluation import extract_batch, extract_evaluation

    with pytest.raises(TypeError, match="pasword"):
        read_pdf(ATLAS_PDF, pasword="secret")
    with pytest.raises(TypeError, match="settings"):
        extract_evaluation(ATLAS_PDF, settings={"max_pages": 1})
    with pytest.raises(TypeError, match="pasword"):
        extract_batch([ATLAS_PDF], pasword="secret")
    with pytest.raises(InputError, match="too large"):
        extract_evaluation(EVAL_PDF, layout={"max_pages": 1})
