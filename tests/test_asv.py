"""asv itself: the suite passes `asv check`, and `asv run` over a real (local) pyhf history
produces numbers, skips and a dashboard."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tarfile
from itertools import product
from pathlib import Path

import pytest

from benchmarks._support import likelihoods
from conftest import REPO_ROOT

RELEASES = ("0.6.3", "0.7.0", "0.7.6")


def run(command, cwd=REPO_ROOT, env=None, timeout=1800):
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{command}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result.stdout


def test_asv_check_passes():
    out = run([sys.executable, "-m", "asv", "check", "-E", f"existing:{sys.executable}"])
    assert "Benchmark suite" not in out or "error" not in out.lower(), out


def git(repo: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_DATE="2024-01-01T00:00:00", GIT_COMMITTER_DATE="")
    env.update(GIT_COMMITTER_DATE=env["GIT_AUTHOR_DATE"])
    identity = ["-c", "user.name=pyhf-benchmarks", "-c", "user.email=tests@localhost"]
    return run(["git", *identity, *args], cwd=repo, env=env).strip()


def build_pyhf_history(workdir: Path) -> Path:
    """A git repository whose commits are pyhf releases from PyPI sdists, tagged vX.Y.Z."""
    sdists = REPO_ROOT / ".asv" / "sdists"  # git-ignored download cache
    for version in RELEASES:
        if not (sdists / f"pyhf-{version}.tar.gz").is_file():
            run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
                + [f"pyhf=={version}", "-d", str(sdists)]
            )
    repo = workdir / "pyhf"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for version in RELEASES:
        for path in repo.iterdir():
            if path.name != ".git":
                run(["rm", "-rf", str(path)])
        with tarfile.open(sdists / f"pyhf-{version}.tar.gz") as archive:
            archive.extractall(workdir / "unpacked", filter="data")
        for path in (workdir / "unpacked" / f"pyhf-{version}").iterdir():
            path.rename(repo / path.name)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"pyhf {version} (PyPI sdist)")
        git(repo, "tag", f"v{version}")
    return repo


@pytest.fixture(scope="module")
def asv_history_run(tmp_path_factory, likelihood_data):
    """asv run over v0.6.3, v0.7.0, v0.7.6 in the numpy-only legacy stack (results in tmp)."""
    workdir = tmp_path_factory.mktemp("asv-e2e")
    repo = build_pyhf_history(workdir)
    results, html = workdir / "results", workdir / "html"
    env = dict(os.environ, HOME=str(workdir))  # asv keeps its machine file in $HOME
    local = [
        sys.executable,
        "scripts/asv_local.py",
        "--repo",
        str(repo),
        "--stack",
        "legacy",
    ]
    local += [
        "--numpy-only",
        "--results-dir",
        str(results),
        "--html-dir",
        str(html),
        "--",
    ]
    run(local + ["machine", "--yes", "--machine", "e2e"], env=env)
    hashes = workdir / "hashes.txt"
    hashes.write_text("".join(f"v{version}\n" for version in RELEASES))
    log = run(
        local
        + ["run", "--quick", "--machine", "e2e", "--show-stderr"]
        + ["-b", r"Hypotest\.track_cls_obs|Logpdf", f"HASHFILE:{hashes}"],
        env=env,
    )
    run(local + ["publish"], env=env)
    return repo, results, html, log


def result_files(results: Path):
    files = [p for p in (results / "e2e").glob("*.json") if p.name != "machine.json"]
    return {json.loads(p.read_text())["commit_hash"]: json.loads(p.read_text()) for p in files}


def values_by_params(result: dict, benchmark: str) -> dict:
    """{(backend, device, precision, likelihood): value} from an asv result file."""
    columns = result["result_columns"]
    entry = dict(zip(columns, result["results"][benchmark], strict=False))
    return dict(zip(product(*entry["params"]), entry["result"], strict=True))


def test_every_release_has_correct_numpy_cls(asv_history_run):
    repo, results, _, _ = asv_history_run
    by_commit = result_files(results)
    for version in RELEASES:
        commit = git(repo, "rev-parse", f"v{version}")
        values = values_by_params(by_commit[commit], "bench_infer.Hypotest.track_cls_obs")
        for likelihood in ("sbottom-RegionA", "1Lbb"):
            reference = likelihoods.reference(likelihood)["cls_obs"]
            got = values[("'numpy'", "'cpu'", "'64b'", f"'{likelihood}'")]
            assert got == pytest.approx(reference, abs=5e-5), (version, likelihood)


def test_absent_devices_and_backends_are_skipped_not_failed(asv_history_run):
    _, results, _, log = asv_history_run
    for result in result_files(results).values():
        values = values_by_params(result, "bench_likelihood.Logpdf.time_logpdf")
        for (backend, device, precision, likelihood), value in values.items():
            if backend == "'numpy'" and device == "'cpu'":
                assert value is not None and value > 0, (
                    backend,
                    device,
                    precision,
                    likelihood,
                )
            else:  # asv records skips as NaN, failures as None
                assert value is not None and math.isnan(value), (
                    backend,
                    device,
                    precision,
                )
    assert "gpu: no GPU on this machine" in log
    assert "pytorch: torch is not installed in this environment" in log


def test_publish_writes_the_dashboard(asv_history_run):
    _, _, html, _ = asv_history_run
    assert (html / "index.html").is_file()
    graphs = list((html / "graphs").rglob("*.json"))
    assert any("track_cls_obs" in str(path) for path in graphs)
