"""Render every source YAML of the sample corpus to corpora/pdf/<name>.pdf.

    python corpora/build.py            # rebuild all PDFs in place
    python corpora/build.py --check    # exit 1 if a committed PDF differs from a fresh render

Output is byte-identical from run to run (reportlab invariant mode), so the PDFs are committed and
a test can check they are up to date.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run from a checkout without installing miner

from corpora.render.contract import is_contract, load_contract, render_contract  # noqa: E402
from corpora.render.report_pdf import Layout, render_activity_report, render_evaluation  # noqa: E402
from corpora.render.report_source import ActivityReportSource, load_source  # noqa: E402
from miner.errors import MinerError  # noqa: E402

SOURCES = HERE / "sources"
PDF_DIR = HERE / "pdf"


def render_source(source_path: Path, out_dir: Path, layout: Layout | None = None) -> Path:
    """Render one source YAML into ``out_dir``; the PDF takes the YAML's name."""
    out = out_dir / f"{source_path.stem}.pdf"
    if is_contract(source_path):  # objective contracts and mid-term evaluations (issue 26)
        return render_contract(load_contract(source_path), out)
    source = load_source(source_path)
    if isinstance(source, ActivityReportSource):
        return render_activity_report(source, out, layout)
    return render_evaluation(source, out, layout)


def build(out_dir: Path = PDF_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    return [render_source(path, out_dir) for path in sorted(SOURCES.glob("*.yaml"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare fresh renders with committed PDFs")
    args = parser.parse_args(argv)
    if not args.check:
        for path in build():
            print(path.relative_to(HERE.parent))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        stale = [p.name for p in build(Path(tmp)) if not (PDF_DIR / p.name).is_file()
                 or (PDF_DIR / p.name).read_bytes() != p.read_bytes()]  # fmt: skip
    for name in stale:
        print(f"stale: corpora/pdf/{name} (run python corpora/build.py)")
    return 1 if stale else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except MinerError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(err.exit_code)
