"""Benchmark pyhf's history into results/, never redoing or losing what is there.

    python scripts/run_history.py --repo /srv/pyhf.git releases   # v0.6.0 ... every release tag
    python scripts/run_history.py --repo /srv/pyhf.git new        # main commits since the last run
    python scripts/run_history.py --repo /srv/pyhf.git spread     # main commits around the
                                                                 # removal of tensorflow/pytorch
    python scripts/run_history.py --repo /srv/pyhf.git --selection all releases -- -b "'cpu'"

Everything after ``--`` goes to ``asv run``. Releases and spreads are passed as a HASHFILE with
``--skip-existing-commits``; ``new`` is asv's NEW (commits after the newest benchmarked one).
The removal commits are found in the repository (the commits that deleted
``src/pyhf/tensor/{tensorflow,pytorch}_backend.py``), not typed in.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from release_tags import release_commits  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
REMOVED_BACKENDS = ("tensorflow", "pytorch")
# What the history tracks by default (``--selection history``): the headline workloads on every
# backend, cpu, 64b, sbottom RegionA, and its CLs; asv's -b matches "name(params)".
HISTORY_SELECTION = (
    r"^bench_(likelihood\.Logpdf\.time_logpdf|fit\.MLEFit\.time_mle_fit"
    r"|infer\.Hypotest\.time_hypotest)\('\w+', 'cpu', '64b', 'sbottom-RegionA'\)$"
    r"|^bench_infer\.CLs\.track_cls_obs\('numpy', 'cpu', 'sbottom-RegionA'\)$"
)


def git(repo: str, *args: str) -> list[str]:
    return subprocess.run(
        ["git", "-C", repo, *args], capture_output=True, text=True, check=True
    ).stdout.split()


def removal_commits(repo: str, branch: str = "main") -> list[str]:
    """For each removed backend: the last main commit that had it and the one removing it."""
    commits = []
    for backend in REMOVED_BACKENDS:
        path = f"src/pyhf/tensor/{backend}_backend.py"
        removed = git(repo, "log", "--format=%H", "--diff-filter=D", branch, "--", path)
        for commit in removed[:1]:
            commits += [git(repo, "rev-parse", f"{commit}^")[0], commit]
    return commits


def spread_commits(repo: str, count: int, since: str = "v0.7.0", branch: str = "main"):
    """``count`` first-parent main commits evenly spread from ``since`` to the tip, plus the
    commits around each backend's removal."""
    line = git(repo, "rev-list", "--first-parent", "--reverse", f"{since}..{branch}")
    picked = [line[round(i * (len(line) - 1) / (count - 1))] for i in range(count)]
    return list(dict.fromkeys(picked + removal_commits(repo, branch)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", required=True, help="a pyhf clone (bare is fine)")
    parser.add_argument("job", choices=["releases", "new", "spread"])
    parser.add_argument("--count", type=int, default=6, help="main commits in a spread")
    parser.add_argument("--machine", help="asv machine name (default: this host's)")
    parser.add_argument(
        "--selection",
        choices=["history", "all"],
        default="history",
        help="history: the headline workloads (HISTORY_SELECTION); all: the whole default run",
    )
    parser.add_argument("asv_args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    extra = args.asv_args[1:] if args.asv_args[:1] == ["--"] else args.asv_args
    if args.machine:
        extra = ["--machine", args.machine, *extra]
    if args.selection == "history":
        extra = ["-b", HISTORY_SELECTION, *extra]
    if args.job == "new":
        target = ["NEW"]
    else:
        commits = (
            release_commits(args.repo)
            if args.job == "releases"
            else spread_commits(args.repo, args.count)
        )
        hashfile = Path(tempfile.mkstemp(prefix="pyhf-hashes-", suffix=".txt")[1])
        hashfile.write_text("\n".join(commits) + "\n")
        target = ["--skip-existing-commits", f"HASHFILE:{hashfile}"]
    command = [sys.executable, str(REPO_ROOT / "scripts" / "asv_local.py"), "--repo", args.repo]
    command += ["--", "run", "--show-stderr", *extra, *target]
    print(" ".join(command), file=sys.stderr)
    return subprocess.call(command, cwd=REPO_ROOT)


if __name__ == "__main__":
    sys.exit(main())
