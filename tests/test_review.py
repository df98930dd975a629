"""scripts/review.py flags a planted 10 % slowdown of pyhf's likelihood and passes a no-op
commit, on a local pyhf history (the v0.7.6 sdist, then the two commits this test makes)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO_ROOT
from pyhf_history import build_pyhf_history, git

FAST_BENCHMARKS = (
    r"Logpdf\.time_logpdf\('numpy', 'cpu', '64b', 'sbottom-RegionA'\)"
    r"|UncorrelatedLogpdf\.time_logpdf\('numpy', 'cpu', 100\)"
)
# Model.logpdf made slower by exactly 10 %: it spins for a tenth of the time it just took.
PLANTED_SLOWDOWN = """

import time as _planted_time

_planted_logpdf = Model.logpdf


def _slower_logpdf(self, pars, data):
    start = _planted_time.perf_counter()
    result = _planted_logpdf(self, pars, data)
    until = _planted_time.perf_counter() + 0.10 * (_planted_time.perf_counter() - start)
    while _planted_time.perf_counter() < until:
        pass
    return result


Model.logpdf = _slower_logpdf
"""


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("review")
    repo = build_pyhf_history(workdir, releases=("0.7.6",))
    with open(repo / "src" / "pyhf" / "pdf.py", "a") as pdf:
        pdf.write(PLANTED_SLOWDOWN)
    git(repo, "commit", "-q", "-am", "Make logpdf 10% slower")
    git(repo, "branch", "slow")
    git(repo, "checkout", "-q", "v0.7.6")
    git(repo, "checkout", "-q", "-b", "noop")
    with open(repo / "README.rst", "a") as readme:
        readme.write("\nA line that changes nothing.\n")
    git(repo, "commit", "-q", "-am", "Touch the README")
    return repo, workdir


def review(repo, workdir, head):
    command = [sys.executable, "scripts/review.py", "--repo", str(repo), "--base", "v0.7.6"]
    command += ["--head", head, "-b", FAST_BENCHMARKS, "--stack", "legacy", "--numpy-only"]
    command += ["--rounds", "16", "--samples", "5", "--results-dir", str(workdir / head)]
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=1800)


def verdicts(table: str) -> dict[str, str]:
    rows = [line.split("|") for line in table.splitlines() if line.startswith("| `")]
    return {f"{row[1].strip(' `')}({row[2].strip()})": row[7].strip() for row in rows}


def test_a_ten_percent_slower_likelihood_is_flagged(history):
    repo, workdir = history
    result = review(repo, workdir, "slow")
    assert result.returncode == 1, result.stdout + result.stderr[-3000:]
    found = verdicts(result.stdout)
    logpdf = "bench_likelihood.Logpdf.time_logpdf('numpy', 'cpu', '64b', 'sbottom-RegionA')"
    assert found[logpdf].startswith("slower"), result.stdout
    # pyhf's 100-bin model (360 µs a call) is noisier here: reported, flagged or not.
    synthetic = "bench_scaling.UncorrelatedLogpdf.time_logpdf('numpy', 'cpu', 100)"
    assert found[synthetic].split()[0] in ("slower", "unchanged"), result.stdout


def test_an_unchanged_commit_passes(history):
    repo, workdir = history
    result = review(repo, workdir, "noop")
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert set(verdicts(result.stdout).values()) == {"unchanged"}, result.stdout
    assert "No regression." in result.stdout
