"""The plot and profile commands on the committed results and a small workload."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "scripts"))
import plots  # noqa: E402
import profile_workload  # noqa: E402

RESULTS = REPO_ROOT / "results"
BACKENDS = {"numpy", "pytorch", "tensorflow", "jax"}


@pytest.fixture(scope="module")
def measurements():
    found = plots.load_measurements(RESULTS)
    assert found, "no committed results in results/"
    return found


def test_committed_results_cover_every_backend_and_many_commits(measurements):
    assert {m.param("backend") for m in measurements} >= BACKENDS
    assert len({m.commit for m in measurements}) >= 10


def test_every_figure_is_written_with_its_series(measurements, tmp_path):
    embed = tmp_path / "doc.md"
    embed.write_text("x\n<!-- plots.py tables: begin -->\nold\n<!-- plots.py tables: end -->\n")
    args = ["--results", str(RESULTS), "--out", str(tmp_path), "--embed", str(embed)]
    assert plots.main(args) == 0
    assert "old" not in embed.read_text() and "| hypotest |" in embed.read_text()
    for name in ("speedup", "scaling", "history", "compile", "nextstat"):
        for suffix in ("png", "svg"):
            path = tmp_path / f"{name}.{suffix}"
            assert path.is_file() and path.stat().st_size > 10_000, path
    svg = (tmp_path / "history.svg").read_text(encoding="utf-8")
    for backend in BACKENDS:
        assert f"{backend} (" in svg  # one line per backend in the legend
    assert "tensorflow removed" in svg and "pytorch removed" in svg


def test_speedup_is_relative_to_numpy_on_the_cpu(measurements, tmp_path):
    commit = plots.resolve_commit(measurements, None, None)
    rows, columns, cells = plots.speedup_cells(measurements, commit, "sbottom-RegionA")
    assert {"logpdf", "MLE fit", "hypotest"} <= set(rows)
    assert {backend for backend, _, _ in columns} == BACKENDS
    for row in rows:
        if ("numpy", "cpu", "64b") not in {c for r, c in cells if r == row}:
            continue  # e.g. the gradient: numpy has no autodiff
        speedup, numpy_cpu = cells[(row, ("numpy", "cpu", "64b"))]
        assert speedup == 1.0 and numpy_cpu.q25 <= numpy_cpu.value <= numpy_cpu.q75


def test_the_case_study_shows_the_committed_numbers(measurements):
    """docs/case-study.md embeds plots.py's tables of the committed results, verbatim."""
    commit = plots.resolve_commit(measurements, None, None)
    tables = plots.markdown_tables(measurements, commit, "sbottom-RegionA")
    assert tables in (REPO_ROOT / "docs" / "case-study.md").read_text(encoding="utf-8")


def test_profile_shares_add_up_and_show_the_optimizer(tmp_path, likelihood_data):
    out = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "scripts" / "profile_workload.py"),
            "--workload",
            "mle_fit",
            "--backend",
            "numpy",
            "--calls",
            "1",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    table = [line for line in out.stdout.splitlines() if line.startswith("| mle_fit")]
    assert len(table) == 1
    shares = [float(cell.strip(" %")) for cell in table[0].split("|")[5:-1]]
    assert sum(shares) == pytest.approx(100, abs=len(shares))
    header = out.stdout.splitlines()[0]
    assert "optimizer (scipy / minuit)" in header
    assert (tmp_path / "profile.png").stat().st_size > 10_000


def test_component_rules_place_known_functions():
    assert profile_workload.component_of("/x/scipy/optimize/_slsqp_py.py", "_minimize_slsqp") == (
        "optimizer (scipy / minuit)"
    )
    assert profile_workload.component_of("/x/pyhf/modifiers/histosys.py", "apply") == (
        "modifier interpolation"
    )
    assert profile_workload.component_of("/x/pyhf/constraints.py", "logpdf") == "constraint terms"
    assert profile_workload.component_of("/x/app.py", "main") == profile_workload.OTHER
