"""Generators of hostile and broken inputs for the robustness suites (PDF side).

Every generator is deterministic (seeded), so a failing case can be rebuilt from its name.
"""

from __future__ import annotations

import random
import zlib
from pathlib import Path

from miner.report_source import ConstatSource, CriterionSource, QuestionSource, ReportSource


def small_report(path: Path) -> Path:
    """A two-page report: cover, one question with a two-row référentiel."""
    from miner.report_pdf import render_evaluation

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
                    CriterionSource(theme="Réseau", criterion="Le cluster anime son réseau.", judgement="Atteint",
                                    constats=[ConstatSource(number=1, text="Les membres se rencontrent souvent.")]),
                    CriterionSource(theme="Visibilité", criterion="Le cluster promeut ses membres.", judgement="Partiel",
                                    constats=[ConstatSource(number=2, text="La promotion reste surtout locale.")]),
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
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page,
         stream(zlib.compress(data, 9), b"/Filter [/FlateDecode /FlateDecode] ")],
        path,
    )


def looping_xobject(path: Path) -> Path:
    """A form XObject that draws itself."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /X 5 0 R >> >> >>"
    form = stream(b"/X Do", b"/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /XObject << /X 5 0 R >> >> ")
    return write_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page,
         stream(b"BT /F1 12 Tf 72 720 Td (Boucle) Tj ET /X Do"), form],
        path,
    )


def lying_page_count(path: Path) -> Path:
    """A page tree that claims a hundred million pages and holds one."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
    return write_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 100000000 >>", page,
         stream(b"BT 72 720 Td (Page) Tj ET")],
        path,
    )


def many_pages(path: Path, count: int) -> Path:
    """A real document of ``count`` empty pages (the page-count cap must refuse it quickly)."""
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
               stream(b"")]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * count
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
