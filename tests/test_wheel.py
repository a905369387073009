"""The built wheel works outside the repository: its data comes with it (importlib.resources)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import INFOPOLE, ROOT
from timeouts import scaled

REPORT = INFOPOLE / "evaluation-infopole-2025-synthese.pdf"


@pytest.mark.slow
def test_wheel_installed_elsewhere_builds_queries_and_validates(tmp_path):
    if not REPORT.exists():
        pytest.skip("../shared corpus not present")
    dist, target, work = tmp_path / "dist", tmp_path / "site", tmp_path / "elsewhere"
    work.mkdir()
    # The wheel from the source tree, built with the venv's setuptools (no download).
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        timeout=scaled(600),
    )
    (wheel,) = dist.glob("miner-*.whl")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        timeout=scaled(600),
    )
    env = {**os.environ, "PYTHONPATH": str(target)}

    def miner(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "miner", *args],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=scaled(600),
        )

    where = subprocess.run(
        [sys.executable, "-c", "import miner, miner.data; print(miner.__file__); print(miner.data.ONTOLOGY)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert all(path.startswith(str(target)) for path in where), where
    built = miner("build", str(REPORT), "--store", "store")
    assert built.returncode == 0, built.stdout + built.stderr
    counted = miner("query", "count_constats", "--store", "store", "--format", "csv")
    assert counted.returncode == 0, counted.stderr
    assert counted.stdout.strip().splitlines()[-1].split(",")[-1] == "29"
    validated = miner("validate", "--store", "store")
    assert validated.returncode == 0, validated.stdout + validated.stderr
