"""Write miner/settings_types.pyi, the type checker's view of the settings classes declared in
miner/data/settings.toml (tests/test_settings.py fails when it is out of date).

    python scripts/settings_stub.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from miner.settings import STUB_FILE, stub_source  # noqa: E402
from miner.store.pool import PoolSettings  # noqa: E402
from miner.read.ocr import OcrSettings  # noqa: E402
from miner.read.pdf import LayoutSettings  # noqa: E402
from miner.read.scan_image import ImageSettings  # noqa: E402
from miner.read.tables import TableSettings  # noqa: E402
from miner.read.unruled import UnruledSettings  # noqa: E402

DECLARED = [TableSettings, UnruledSettings, LayoutSettings, ImageSettings, OcrSettings, PoolSettings]
"""Every class made by declared_settings, in the order the stub defines them."""

if __name__ == "__main__":
    (ROOT / "miner" / STUB_FILE).write_text(stub_source(DECLARED), encoding="utf-8")
