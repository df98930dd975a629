"""asv itself: the suite passes `asv check`, and `asv run` over a real (local) pyhf history
produces numbers, skips and a dashboard."""

from __future__ import annotations

import json
import math
import os
import sys
from itertools import product
from pathlib import Path

import pytest

from benchmarks._support import likelihoods
from pyhf_history import RELEASES, build_pyhf_history, git, run


def test_asv_check_passes():
    out = run([sys.executable, "-m", "asv", "check", "-E", f"existing:{sys.executable}"])
    assert "Benchmark suite" not in out or "error" not in out.lower(), out


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
        + ["-b", r"CLs\.track_cls_obs|Logpdf", f"HASHFILE:{hashes}"],
        env=env,
    )
    run(local + ["publish"], env=env)
    return repo, results, html, log


def result_files(results: Path):
    files = [p for p in (results / "e2e").glob("*.json") if p.name != "machine.json"]
    return {json.loads(p.read_text())["commit_hash"]: json.loads(p.read_text()) for p in files}


def values_by_params(result: dict, benchmark: str) -> dict:
    """{(parameter values, quoted as asv does): value} from an asv result file."""
    columns = result["result_columns"]
    entry = dict(zip(columns, result["results"][benchmark], strict=False))
    return dict(zip(product(*entry["params"]), entry["result"], strict=True))


def test_every_release_has_correct_numpy_cls(asv_history_run):
    repo, results, _, _ = asv_history_run
    by_commit = result_files(results)
    for version in RELEASES:
        commit = git(repo, "rev-parse", f"v{version}")
        values = values_by_params(by_commit[commit], "bench_infer.CLs.track_cls_obs")
        reference = likelihoods.reference("sbottom-RegionA")["cls_obs"]
        got = values[("'numpy'", "'cpu'", "'sbottom-RegionA'")]
        assert got == pytest.approx(reference, abs=5e-5), version
        assert math.isnan(values[("'numpy'", "'cpu'", "'1Lbb'")])  # slow: not in the default


def test_absent_devices_and_backends_are_skipped_not_failed(asv_history_run):
    _, results, _, log = asv_history_run
    for result in result_files(results).values():
        values = values_by_params(result, "bench_likelihood.Logpdf.time_logpdf")
        for (backend, device, precision, likelihood), value in values.items():
            if (backend, device, precision) == ("'numpy'", "'cpu'", "'64b'"):
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
    assert "slow: runs only with PYHF_BENCHMARKS_SLOW=1" in log  # numpy 32b
    assert "pytorch: torch is not installed in this environment" in log


def test_publish_writes_the_dashboard(asv_history_run):
    _, _, html, _ = asv_history_run
    assert (html / "index.html").is_file()
    graphs = list((html / "graphs").rglob("*.json"))
    assert any("track_cls_obs" in str(path) for path in graphs)


BROWSER_PROBE = "/usr/bin/chromium"


@pytest.mark.skipif(not os.path.exists(BROWSER_PROBE), reason="Debian's chromium not installed")
def test_dashboard_is_self_contained_and_renders(asv_history_run, tmp_path):
    """The published dashboard, vendored, in a real headless browser: the summary grid and a
    benchmark graph draw with data points, and no request leaves the local server."""
    import functools
    import http.server
    import shutil
    import threading

    from playwright.sync_api import sync_playwright

    _, _, html, _ = asv_history_run
    site = tmp_path / "site"
    shutil.copytree(html, site)
    run([sys.executable, "scripts/vendor_dashboard.py", str(site)])
    assert "https://" not in (site / "index.html").read_text().split("<body")[0]

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    outside, failed = [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=BROWSER_PROBE,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page()
            page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
            page.on("requestfailed", lambda r: failed.append(r.url))
            page.goto(base + "index.html")
            page.wait_for_selector(".benchmark-container", timeout=60_000)
            assert page.locator(".benchmark-container").count() >= 3
            page.goto(base + "index.html#bench_infer.CLs.track_cls_obs")
            page.wait_for_selector("#main-graph canvas", timeout=60_000)
            page.wait_for_function(
                "() => $('#main-graph').data('plot') !== undefined", timeout=60_000
            )
            points = page.evaluate(
                "() => $('#main-graph').data('plot').getData()"
                ".reduce((n, series) => n + series.data.filter(p => p[1] !== null).length, 0)"
            )
            page.screenshot(path=str(tmp_path / "dashboard.png"))
            page.goto(base + "index.html")
            page.click("#nav-li-case-study a")
            page.wait_for_selector("h1", timeout=60_000)
            figures = page.evaluate(
                "() => Array.from(document.images).map(i => [i.src, i.naturalWidth])"
            )
            browser.close()
    finally:
        server.shutdown()
    assert points >= 3, points  # three releases, numpy
    assert len(figures) >= 5 and all(width > 0 for _, width in figures), figures
    assert outside == [] and failed == [], (outside, failed)
