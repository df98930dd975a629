"""A local pyhf git history built offline from PyPI sdists (github.com is out of reach)."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

from conftest import REPO_ROOT

RELEASES = ("0.6.3", "0.7.0", "0.7.6")


def run(command, cwd=REPO_ROOT, env=None, timeout=1800):
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"{command}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result.stdout


def git(repo: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_DATE="2024-01-01T00:00:00", GIT_COMMITTER_DATE="")
    env.update(GIT_COMMITTER_DATE=env["GIT_AUTHOR_DATE"])
    identity = ["-c", "user.name=pyhf-benchmarks", "-c", "user.email=tests@localhost"]
    return run(["git", *identity, *args], cwd=repo, env=env).strip()


def build_pyhf_history(workdir: Path, releases=RELEASES) -> Path:
    """A git repository whose commits are pyhf releases from PyPI sdists, tagged vX.Y.Z."""
    sdists = REPO_ROOT / ".asv" / "sdists"  # git-ignored download cache
    for version in releases:
        if not (sdists / f"pyhf-{version}.tar.gz").is_file():
            run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:"]
                + [f"pyhf=={version}", "-d", str(sdists)]
            )
    repo = workdir / "pyhf"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for version in releases:
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
