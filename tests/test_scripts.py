"""The history job's commit selection, on a small git repository made here."""

from __future__ import annotations

import sys

import pytest

from conftest import REPO_ROOT
from pyhf_history import git

sys.path.insert(0, str(REPO_ROOT / "scripts"))

import release_tags  # noqa: E402
import run_history  # noqa: E402


@pytest.fixture
def repo(tmp_path):
    git(tmp_path, "init", "-q", "-b", "main")
    backend = tmp_path / "src" / "pyhf" / "tensor" / "tensorflow_backend.py"
    backend.parent.mkdir(parents=True)
    for step, tag in enumerate(["v0.5.0", "v0.6.0", "v0.7.0rc1", "v0.7.0", None, None]):
        (tmp_path / "step.txt").write_text(str(step))
        if step == 1:
            backend.write_text("# tensorflow backend\n")
        if step == 5:
            backend.unlink()
        git(tmp_path, "add", "-A")
        git(tmp_path, "commit", "-q", "-m", f"step {step}")
        if tag:
            git(tmp_path, "tag", tag)
    return tmp_path


def test_release_tags_from_v0_6_0_without_candidates(repo):
    expected = [git(repo, "rev-parse", tag) for tag in ("v0.6.0", "v0.7.0")]
    assert release_tags.release_commits(str(repo)) == expected


def test_backend_removal_is_found_in_the_history(repo):
    deleting = git(repo, "rev-parse", "main")
    assert run_history.removal_commits(str(repo)) == [git(repo, "rev-parse", "main^"), deleting]
    spread = run_history.spread_commits(str(repo), count=2, since="v0.6.0")
    first_after = git(repo, "rev-parse", "v0.7.0rc1")
    assert spread == [first_after, deleting, git(repo, "rev-parse", "main^")]


def test_history_selection_takes_the_headline_workloads_on_every_backend():
    """asv's -b matches "name(params)": the history's selection, checked against the names
    asv builds from the benchmarks' own parameters."""
    import itertools
    import re

    from benchmarks import bench_fit, bench_infer, bench_likelihood

    selected = set()
    for cls, method in (
        (bench_likelihood.Logpdf, "time_logpdf"),
        (bench_fit.MLEFit, "time_mle_fit"),
        (bench_fit.MLEFitPeakMemory, "peakmem_mle_fit"),
        (bench_infer.Hypotest, "time_hypotest"),
        (bench_infer.CLs, "track_cls_obs"),
    ):
        for values in itertools.product(*cls.params):
            name = f"{cls.__module__.split('.')[-1]}.{cls.__name__}.{method}"
            name += "(" + ", ".join(repr(v) for v in values) + ")"
            if re.search(run_history.HISTORY_SELECTION, name):
                selected.add((cls.__name__, values))
    assert {(c, v[0]) for c, v in selected if c != "CLs"} == {
        (c, b)
        for c in ("Logpdf", "MLEFit", "Hypotest")
        for b in ("numpy", "pytorch", "tensorflow", "jax")
    }
    assert all(v[1:3] == ("cpu", "64b") for c, v in selected if c != "CLs")
    assert ("CLs", ("numpy", "cpu", "sbottom-RegionA")) in selected
    assert len(selected) == 13
