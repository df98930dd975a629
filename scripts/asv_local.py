"""Run asv against another pyhf repository or a subset of the stacks, without editing
asv.conf.json.

    python scripts/asv_local.py --repo ~/src/pyhf -- run --quick main^!
    python scripts/asv_local.py --repo /srv/pyhf.git --stack legacy -- run HASHFILE:hashes.txt
    python scripts/asv_local.py --repo ./pyhf --numpy-only -- run v0.7.6^!

It writes a derived configuration under .asv/ (absolute paths, so results still land in
results/ and environments in .asv/env) and runs ``asv --config <it> <asv arguments>``.
Environment names depend only on the stack's packages, so results from a local clone sit next
to results from GitHub's repository. ``--numpy-only`` drops the heavy backends (a different,
smaller environment: tests and quick checks, not for results you commit).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BASE_CONFIG = REPO_ROOT / "asv.conf.json"
HEAVY_BACKENDS = (
    "torch",
    "jax",
    "jaxlib",
    "tensorflow",
    "tensorflow-cpu",
    "tensorflow-probability",
    "tf-keras",
    "nextstat",
)


# Accelerator builds of the "current" stack: the same versions with the CUDA / TPU extras. They
# exist only in derived configs, so a CPU machine running asv.conf.json never downloads them.
# torch stays "torch==<pin>": PyPI's Linux x86_64 wheel is the CUDA build (the CPU machine
# gets the +cpu wheel from its local wheel directory or https://download.pytorch.org/whl/cpu).
ACCELERATOR_PACKAGES = {
    "cuda": {"jax": "jax[cuda12]", "jaxlib": None, "tensorflow": "tensorflow[and-cuda]"},
    "tpu": {"jax": "jax[tpu]", "jaxlib": None},
}


def load_config(path: Path = BASE_CONFIG) -> dict:
    """asv.conf.json as a dict (asv allows whole-line // comments)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return json.loads("\n".join(line for line in lines if not line.lstrip().startswith("//")))


def stack_name(include: dict) -> str:
    return include.get("env", {}).get("PYHF_BENCHMARKS_STACK", "")


def derive(
    config: dict,
    repo: str | None = None,
    stacks: list[str] | None = None,
    numpy_only: bool = False,
    paths: dict[str, str] | None = None,
    accelerator: str | None = None,
    without: list[str] | None = None,
) -> dict:
    """A copy of ``config`` with another repo, fewer stacks, fewer backends, accelerator
    builds of the current stack, absolute paths."""
    derived = json.loads(json.dumps(config))
    if repo is not None:
        local = Path(repo).expanduser()
        derived["repo"] = str(local.resolve()) if local.exists() else repo
    known = [stack_name(include) for include in config["include"]]
    unknown = sorted(set(stacks or []) - set(known))
    if unknown:
        raise SystemExit(f"asv_local: unknown stack {unknown[0]!r}; known: {', '.join(known)}")
    derived["include"] = [
        include for include in derived["include"] if not stacks or stack_name(include) in stacks
    ]
    if accelerator is not None:
        derived["include"] = [
            accelerated(include, accelerator)
            for include in derived["include"]
            if stack_name(include) == "current"
        ]
    dropped = set(without or []) | (set(HEAVY_BACKENDS) if numpy_only else set())
    for include in derived["include"]:
        include["req"] = {name: pin for name, pin in include["req"].items() if name not in dropped}
    for key in ("benchmark_dir", "results_dir", "html_dir", "env_dir"):
        default = {"benchmark_dir": "benchmarks", "env_dir": "env"}.get(key, key[:-4])
        derived[key] = str((REPO_ROOT / derived.get(key, default)).resolve())
    for key, value in (paths or {}).items():
        derived[key] = str(Path(value).resolve())
    return derived


def accelerated(include: dict, accelerator: str) -> dict:
    """A stack with each package replaced by its accelerator build (None: dropped)."""
    renames = ACCELERATOR_PACKAGES[accelerator]
    req = {}
    for name, pin in include["req"].items():
        new_name = renames.get(name, name)
        if new_name is not None:
            req[new_name] = pin
    env = dict(include.get("env", {}), PYHF_BENCHMARKS_STACK=f"current-{accelerator}")
    return dict(include, req=req, env=env)


def write(config: dict, directory: Path = REPO_ROOT / ".asv") -> Path:
    text = json.dumps(config, indent=2, sort_keys=True)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"asv.{hashlib.sha256(text.encode()).hexdigest()[:12]}.conf.json"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], usage="%(prog)s [options] -- ASV_ARGS..."
    )
    parser.add_argument("--repo", help="pyhf repository: a local clone, bare repo or URL")
    parser.add_argument("--stack", action="append", help="keep only this stack (repeatable)")
    parser.add_argument(
        "--numpy-only", action="store_true", help="drop torch, jax, tensorflow, nextstat"
    )
    parser.add_argument(
        "--without",
        action="append",
        metavar="PACKAGE",
        help="leave an optional package out of the stacks (e.g. nextstat; repeatable)",
    )
    parser.add_argument(
        "--accelerator",
        choices=sorted(ACCELERATOR_PACKAGES),
        help="the current stack with CUDA (GPU box) or TPU (Cloud TPU VM) builds",
    )
    parser.add_argument("--print-config", action="store_true", help="print the path and exit")
    parser.add_argument("--results-dir", help="results elsewhere than results/ (scratch runs)")
    parser.add_argument("--html-dir", help="publish elsewhere than html/")
    parser.add_argument("asv_args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    asv_args = args.asv_args[1:] if args.asv_args[:1] == ["--"] else args.asv_args
    paths = {
        key: value
        for key, value in (
            ("results_dir", args.results_dir),
            ("html_dir", args.html_dir),
        )
        if value
    }
    config = derive(
        load_config(),
        args.repo,
        args.stack,
        args.numpy_only,
        paths,
        args.accelerator,
        args.without,
    )
    path = write(config)
    if args.print_config or not asv_args:
        print(path)
        return 0
    command = [sys.executable, "-m", "asv", "--config", str(path), *asv_args]
    return subprocess.call(command, cwd=REPO_ROOT)


if __name__ == "__main__":
    sys.exit(main())
