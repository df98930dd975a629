"""asv.conf.json avoids the known traps, and the derived configs of scripts/asv_local.py."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO_ROOT
from scripts import asv_local

CONFIG = asv_local.load_config()
STACKS = {asv_local.stack_name(include): include["req"] for include in CONFIG["include"]}


def test_benchmarks_the_real_pyhf_repository():
    assert CONFIG["repo"] == "https://github.com/scikit-hep/pyhf.git"
    assert CONFIG["branches"] == ["main"]
    assert CONFIG["show_commit_url"] == "https://github.com/scikit-hep/pyhf/commit/"
    assert CONFIG["environment_type"] == "virtualenv"


def test_build_and_install_avoid_the_known_traps():
    (build,) = CONFIG["build_command"]
    assert "pip wheel --no-deps" in build  # the default build finds "multiple wheels"
    assert all("--no-deps" in command for command in CONFIG["install_command"])
    # A fork per benchmark of a server that imported only the suite (no backend, no CUDA):
    # fresh processes without paying interpreter start-up for every skipped combination.
    assert CONFIG["launch_method"] == "forkserver"


def test_stacks_use_exact_pins_and_a_cpu_torch():
    assert set(STACKS) == {"legacy", "current"}
    for stack, requirements in STACKS.items():
        for name, pin in requirements.items():
            assert re.fullmatch(r"\d+(\.\d+)*", pin), f"{stack}: {name}={pin!r} is not exact"
        assert requirements["torch"] == "2.13.0", stack  # unpinned torch pulls CUDA builds
    legacy = STACKS["legacy"]
    assert legacy["numpy"].startswith("1.") and legacy["jax"] == "0.4.13"
    assert legacy["jsonschema"] == "4.14.0" and int(legacy["setuptools"].split(".")[0]) <= 80


def test_dev_requirements_follow_the_current_stack():
    pins = dict(
        line.split("==")
        for line in (REPO_ROOT / "requirements-dev.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    current = STACKS["current"]
    for name in ("numpy", "scipy", "jsonschema", "iminuit", "torch", "jax", "jaxlib"):
        assert pins[name] == current[name], name
    assert pins["tensorflow-cpu"] == current["tensorflow"]
    assert pins["tensorflow-probability"] == current["tensorflow-probability"]


def test_local_config_changes_only_what_was_asked(tmp_path):
    derived = asv_local.derive(
        CONFIG, repo=str(tmp_path), stacks=["legacy"], numpy_only=True, paths={"results_dir": "x"}
    )
    assert derived["repo"] == str(tmp_path.resolve())
    assert [asv_local.stack_name(include) for include in derived["include"]] == ["legacy"]
    assert "torch" not in derived["include"][0]["req"]
    assert derived["include"][0]["req"]["numpy"] == STACKS["legacy"]["numpy"]
    assert Path(derived["benchmark_dir"]) == REPO_ROOT / "benchmarks"
    assert Path(derived["results_dir"]) == Path("x").resolve()
    assert CONFIG["repo"].startswith("https://")  # the committed config is untouched


def test_full_stacks_keep_their_environment_names():
    """Results taken through asv_local land in the same environment as the committed config."""
    derived = asv_local.derive(CONFIG, repo="/elsewhere", stacks=["current"])
    assert derived["include"] == [
        include for include in CONFIG["include"] if asv_local.stack_name(include) == "current"
    ]


def test_accelerator_configs_exist_only_when_asked():
    cpu_packages = {name for include in CONFIG["include"] for name in include["req"]}
    assert not any("cuda" in name or "tpu" in name for name in cpu_packages)
    cuda = asv_local.derive(CONFIG, accelerator="cuda")
    (stack,) = cuda["include"]
    assert stack["env"]["PYHF_BENCHMARKS_STACK"] == "current-cuda"
    assert stack["req"]["jax[cuda12]"] == STACKS["current"]["jax"]
    assert stack["req"]["tensorflow[and-cuda]"] == STACKS["current"]["tensorflow"]
    assert "jaxlib" not in stack["req"] and stack["req"]["torch"] == "2.13.0"
    (tpu,) = asv_local.derive(CONFIG, accelerator="tpu")["include"]
    assert tpu["req"]["jax[tpu]"] == STACKS["current"]["jax"]
