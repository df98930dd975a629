"""Each benchmark runs, measures the right thing, skips for the right reason, and is correct."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
import subprocess
import sys
import time

import pytest

import benchmarks
from benchmarks._support import checks, devices, harness, likelihoods
from conftest import REPO_ROOT, installed

BENCHMARK_PREFIXES = ("time_", "peakmem_", "track_")


def benchmark_methods():
    """(class, method name) for every asv benchmark, found the way asv finds them: classes in
    any module's namespace, imported or not, unless abstract."""
    found = {}
    for info in pkgutil.walk_packages(benchmarks.__path__, "benchmarks."):
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if not inspect.isclass(cls) or inspect.isabstract(cls):
                continue
            for name in dir(cls):
                if name.startswith(BENCHMARK_PREFIXES):
                    found[f"{cls.__name__}.{name}"] = (cls, name)
    return [pytest.param(*value, id=key) for key, value in sorted(found.items())]


ALL_METHODS = benchmark_methods()
CPU_BACKENDS = [
    pytest.param(
        backend,
        marks=pytest.mark.skipif(
            not installed(devices.LIBRARIES[backend]),
            reason=f"{devices.LIBRARIES[backend]} not installed",
        ),
    )
    for backend in devices.BACKENDS
]


def run_benchmark(cls, method, *params):
    bench = cls()
    bench.setup(*params)
    return bench, getattr(bench, method)(*params)


def test_suite_has_the_first_workloads():
    names = {param.id for param in ALL_METHODS}
    assert {
        "ModelBuild.time_model_build",
        "Logpdf.time_logpdf",
        "MLEFit.time_mle_fit",
        "MLEFit.peakmem_mle_fit",
        "Hypotest.time_hypotest",
        "Hypotest.track_cls_obs",
    } <= names


@pytest.mark.parametrize("cls, method", ALL_METHODS)
def test_params_do_not_depend_on_the_machine(cls, method):
    assert cls.param_names[:3] == ["backend", "device", "precision"]
    assert cls.params[:3] == [
        list(devices.BACKENDS),
        list(devices.DEVICES),
        ["64b", "32b"],
    ]


@pytest.mark.parametrize("likelihood", harness.FIRST_LIKELIHOODS)
@pytest.mark.parametrize("cls, method", ALL_METHODS)
def test_every_benchmark_runs_on_numpy_cpu(cls, method, likelihood, likelihood_data):
    if issubclass(cls, harness.FirstCallBenchmark):
        with pytest.raises(NotImplementedError, match="numpy: no JIT compilation"):
            run_benchmark(cls, method, "numpy", "cpu", "64b", likelihood)
        return
    if issubclass(cls, harness.DeviceMemoryBenchmark):
        with pytest.raises(NotImplementedError, match="numpy on cpu: no device memory"):
            run_benchmark(cls, method, "numpy", "cpu", "64b", likelihood)
        return
    bench, value = run_benchmark(cls, method, "numpy", "cpu", "64b", likelihood)
    if method.startswith("track_cls_obs"):
        assert value == pytest.approx(bench.reference["cls_obs"], abs=5e-5)
    elif method.startswith("track_"):
        assert isinstance(value, float)


@pytest.mark.parametrize("likelihood", harness.FIRST_LIKELIHOODS)
@pytest.mark.parametrize("backend", CPU_BACKENDS)
def test_hypotest_reproduces_the_reference_cls(backend, likelihood, likelihood_data):
    from benchmarks.bench_infer import Hypotest

    bench = Hypotest()
    bench.setup(backend, "cpu", "64b", likelihood)
    result = bench.timed()  # raises checks.WrongAnswer if any CLs is off
    cls_obs = float(result[0])
    assert cls_obs == pytest.approx(bench.reference["cls_obs"], abs=5e-5)
    published = likelihoods.manifest()["likelihoods"][likelihood]["published"]["cls_obs"]
    assert cls_obs == pytest.approx(published, rel=2e-5)


@pytest.mark.parametrize("backend", CPU_BACKENDS)
def test_mle_fit_reaches_the_reference_minimum(backend, likelihood_data):
    from benchmarks.bench_fit import MLEFit

    bench, twice_nll = run_benchmark(
        MLEFit, "track_twice_nll", backend, "cpu", "64b", "sbottom-RegionA"
    )
    assert twice_nll == pytest.approx(bench.reference["fit_twice_nll"], abs=1e-3)


def test_a_wrong_answer_fails_the_timed_method(likelihood_data):
    from benchmarks.bench_infer import Hypotest

    bench = Hypotest()
    bench.setup("numpy", "cpu", "64b", "sbottom-RegionA")
    bench.reference = dict(bench.reference, cls_obs=bench.reference["cls_obs"] + 1e-3)
    with pytest.raises(checks.WrongAnswer, match="CLs_obs"):
        bench.time_hypotest()


def test_numpy_32b_fit_is_refused_as_wrong(likelihood_data):
    """pyhf's numpy backend at 32b stops the scipy fit early: never timed as if correct."""
    from benchmarks.bench_fit import MLEFit

    bench = MLEFit()
    bench.setup("numpy", "cpu", "32b", "sbottom-RegionA")
    with pytest.raises(checks.WrongAnswer, match="-2 ln L"):
        bench.time_mle_fit()


@pytest.mark.parametrize("device", ["gpu", "tpu"])
@pytest.mark.parametrize("backend", devices.BACKENDS)
def test_absent_accelerators_skip_with_a_reason(backend, device):
    absent = devices.hardware_probe(device)
    if absent is None:
        pytest.skip(f"this machine may have a {device}")
    with pytest.raises(NotImplementedError, match=f"^{device}: no {device.upper()}"):
        devices.activate(backend, device, "64b")


def test_numpy_is_cpu_only(monkeypatch):
    monkeypatch.setattr(devices, "hardware_probe", lambda device: None)
    with pytest.raises(NotImplementedError, match="numpy: runs on the CPU only"):
        devices.activate("numpy", "gpu", "64b")


def test_uninstalled_backend_skips(monkeypatch):
    monkeypatch.setitem(devices.LIBRARIES, "pytorch", "torch_is_not_installed_here")
    with pytest.raises(NotImplementedError, match="pytorch: torch_is_not_installed_here is not"):
        devices.activate("pytorch", "cpu", "64b")


def test_backend_missing_from_the_commit_skips(monkeypatch):
    """pyhf main dropped pytorch and tensorflow: detected by module, not by version."""
    real_find_spec = importlib.util.find_spec

    def find_spec(name, *args):
        return None if name == "pyhf.tensor.tensorflow_backend" else real_find_spec(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(NotImplementedError, match="no tensorflow backend"):
        devices.activate("tensorflow", "cpu", "64b")


@pytest.mark.parametrize(
    "names, message",
    [
        (("numpyy", "cpu", "64b"), "unknown backend 'numpyy'; known: numpy, pytorch"),
        (("numpy", "cuda", "64b"), "unknown device 'cuda'; known: cpu, gpu, tpu"),
        (("numpy", "cpu", "16b"), "unknown precision '16b'; known: 64b, 32b"),
    ],
)
def test_unknown_names_are_one_line_errors(names, message):
    with pytest.raises(ValueError, match=message):
        devices.activate(*names)


PEAKMEM_PROBE = """
import sys, resource, numpy as np
sys.path.insert(0, sys.argv[1])
from benchmarks.bench_fit import MLEFit

class MLEFitWithBigSetup(MLEFit):
    def prepare(self):
        scratch = np.ones(600 * 2**20 // 8)  # 600 MiB touched in setup, then freed
        del scratch

bench = MLEFitWithBigSetup()
bench.setup("numpy", "cpu", "64b", "sbottom-RegionA")
bench.peakmem_mle_fit()
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def test_peakmem_does_not_count_setup(likelihood_data):
    """asv's peakmem_ reads the process's peak RSS after the method: setup's peak is reset.

    The probe is started from a small relay process, as asv starts benchmarks from its small
    runner: Linux counts the parent's RSS at fork into a child's ru_maxrss, and this test
    process may be large after importing tensorflow.
    """
    relay = "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))"
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            relay,
            sys.executable,
            "-c",
            PEAKMEM_PROBE,
            str(REPO_ROOT),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    peak_mib = int(out.stdout.split()[-1])
    assert peak_mib < 500, f"peak RSS {peak_mib} MiB includes setup's 600 MiB"


@pytest.mark.skipif(not installed("jax"), reason="jax not installed")
def test_jit_compilation_is_not_in_the_samples(likelihood_data):
    """setup warms jax up: the first timed call is already at steady state."""
    from benchmarks.bench_fit import MLEFit

    bench = MLEFit()
    bench.setup("jax", "cpu", "64b", "sbottom-RegionA")
    assert bench.first_call_seconds is not None
    samples = []
    for _ in range(3):
        start = time.perf_counter()
        bench.time_mle_fit()
        samples.append(time.perf_counter() - start)
    assert samples[0] < bench.first_call_seconds / 3, (
        samples,
        bench.first_call_seconds,
    )
