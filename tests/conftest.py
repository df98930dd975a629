"""Shared fixtures: the repository on sys.path, the likelihood data, a clean data dir."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from benchmarks._support import likelihoods  # noqa: E402

# The local mirror of the published likelihoods (CI: ../shared/data beside the checkout).
MIRROR = REPO_ROOT.parent / "shared" / "data"


def installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@pytest.fixture(scope="session")
def likelihood_data():
    """The verified data the benchmarks read; a test needing it fails (not skips) without it."""
    for name in likelihoods.likelihood_names():
        try:
            likelihoods.check(name)
        except likelihoods.DataError as exc:
            pytest.fail(f"likelihood data not ready ({exc})")
    return likelihoods.data_dir()


@pytest.fixture
def private_data(tmp_path, monkeypatch, likelihood_data):
    """A private copy of sbottom RegionA's files that a test may corrupt or delete."""
    root = tmp_path / "likelihoods"
    for relpath in ("sbottom/RegionA/BkgOnly.json", "sbottom/RegionA/patchset.json.gz"):
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(likelihood_data / relpath, root / relpath)
    monkeypatch.setenv("PYHF_BENCHMARKS_DATA", str(root))
    likelihoods.load.cache_clear()
    yield root
    likelihoods.load.cache_clear()


@pytest.fixture
def slow_suite(monkeypatch):
    """Every parameter combination, as with PYHF_BENCHMARKS_SLOW=1 (float32, tensorflow on 1Lbb)."""
    from benchmarks._support import harness

    monkeypatch.setenv(harness.SLOW_SWITCH, "1")
