"""Each benchmark runs, measures the right thing, skips for the right reason, and is correct."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import itertools
import pkgutil
import subprocess
import sys

import pytest

import benchmarks
from benchmarks import (
    bench_fit,
    bench_infer,
    bench_likelihood,
    bench_model,
    bench_scaling,
    bench_scan,
)
from benchmarks._support import checks, devices, harness, likelihoods
from benchmarks._support.workloads import LogpdfGradientWorkload
from conftest import REPO_ROOT, installed

BENCHMARK_PREFIXES = ("time_", "peakmem_", "track_")
# The tests check every parameter combination, not only the default run's (the default run's
# selection is tested on its own below).
pytestmark = pytest.mark.usefixtures("slow_suite")


def benchmark_methods():
    """(class, method name) for every asv benchmark, found the way asv finds them: classes in
    any module's namespace, imported or not, unless abstract."""
    found = {}
    for info in pkgutil.walk_packages(benchmarks.__path__, "benchmarks."):
        module = importlib.import_module(info.name)
        for attr, cls in vars(module).items():
            if attr.startswith("_") or not inspect.isclass(cls) or inspect.isabstract(cls):
                continue
            for name in dir(cls):
                if name.startswith(BENCHMARK_PREFIXES):
                    module_name = cls.__module__.rsplit(".", 1)[-1]
                    found[f"{module_name}.{cls.__name__}.{name}"] = (cls, name)
    return [pytest.param(*value, id=key) for key, value in sorted(found.items())]


ALL_METHODS = benchmark_methods()


def run_benchmark(cls, method, *params):
    bench = cls()
    bench.setup(*params)
    return bench, getattr(bench, method)(*params)


def param_values(cls) -> dict:
    return dict(zip(cls.param_names, cls.params, strict=True))


def cheapest_params(cls, backend="numpy"):
    """numpy, cpu, 64b and the first (cheapest) value of every other parameter."""
    chosen = {"backend": backend, "device": "cpu", "precision": "64b"}
    return [chosen.get(name, values[0]) for name, values in param_values(cls).items()]


# NextStat 0.10.1 against pyhf (tests/test_nextstat.py): toys and the first sbottom grid point.
KNOWN_WRONG = {
    "bench_nextstat.ToyHypotest.time_toy_hypotest": "NextStat toy CLs_obs",
    "bench_nextstat.GridScan.time_cls_per_signal_point": "NextStat CLs_obs",
}
EXPECTED_NUMPY_SKIPS = {
    harness.FirstCallBenchmark: "numpy: no JIT compilation",
    harness.DeviceMemoryBenchmark: "cpu: no device memory statistics",
    LogpdfGradientWorkload: "numpy: no automatic differentiation",
}


def test_suite_covers_the_workloads():
    names = {param.id for param in ALL_METHODS}
    assert {
        "bench_model.WorkspaceLoad.time_workspace_load",
        "bench_model.PatchApply.time_patch_apply",
        "bench_model.ModelBuild.time_model_build",
        "bench_likelihood.Logpdf.time_logpdf",
        "bench_likelihood.ExpectedData.time_expected_data",
        "bench_likelihood.LogpdfGradient.time_logpdf_gradient",
        "bench_fit.MLEFit.time_mle_fit",
        "bench_fit.MLEFitPeakMemory.peakmem_mle_fit",
        "bench_fit.MLEFitByOptimizer.time_mle_fit",
        "bench_fit.FixedPOIFit.time_fixed_poi_fit",
        "bench_fit.FixedPOIFitByOptimizer.time_fixed_poi_fit",
        "bench_infer.Hypotest.time_hypotest",
        "bench_infer.CLs.track_cls_obs",
        "bench_infer.CLs.track_cls_exp_median",
        "bench_infer.UpperLimit.time_upper_limit",
        "bench_infer.ToyHypotest.time_toy_hypotest",
        "bench_scan.GridScan.time_cls_per_signal_point",
        "bench_scaling.UncorrelatedLogpdf.time_logpdf",
        "bench_scaling.SharedModifiersLogpdf.time_logpdf",
        "bench_scaling.PyhfBenchmarkHypotest.time_hypotest",
        "bench_accelerator.FirstCallHypotest.track_first_call_seconds",
        "bench_accelerator.DeviceMemoryMLEFit.track_device_peak_bytes",
        "bench_nextstat.Hypotest.time_hypotest",
        "bench_nextstat.Parity.track_cls_obs_difference",
    } <= names
    covered = set()
    for cls, _ in (param.values for param in ALL_METHODS):
        covered.update(param_values(cls).get("likelihood", []))
    assert covered == set(likelihoods.likelihood_names())


@pytest.mark.parametrize("cls, method", ALL_METHODS)
def test_params_do_not_depend_on_the_machine(cls, method):
    params = param_values(cls)
    if "backend" in params:
        assert params["backend"] == list(devices.BACKENDS)
        assert params["device"] == list(devices.DEVICES)
    assert params.get("precision", ["64b", "32b"]) == ["64b", "32b"]


@pytest.mark.parametrize("cls, method", ALL_METHODS)
def test_every_benchmark_runs_on_numpy_cpu(cls, method, likelihood_data, monkeypatch):
    params = cheapest_params(cls)
    if cls.__module__ == "benchmarks.bench_nextstat" and not installed("nextstat"):
        with pytest.raises(NotImplementedError, match="nextstat is not installed"):
            run_benchmark(cls, method, *params)
        return
    for base, reason in EXPECTED_NUMPY_SKIPS.items():
        if issubclass(cls, base):
            with pytest.raises(NotImplementedError, match=reason):
                run_benchmark(cls, method, *params)
            return
    key = f"{cls.__module__.rsplit('.', 1)[-1]}.{cls.__name__}.{method}"
    if key in KNOWN_WRONG:  # findings: they must keep failing loudly (default grid subset)
        monkeypatch.delenv(harness.SLOW_SWITCH)
        with pytest.raises(checks.WrongAnswer, match=KNOWN_WRONG[key]):
            run_benchmark(cls, method, *params)
        return
    bench, value = run_benchmark(cls, method, *params)
    if method == "track_cls_obs":
        assert value == pytest.approx(bench.reference["cls_obs"], abs=5e-5)
    elif method.startswith("track_"):
        assert isinstance(value, float) and value == value


def backend_params(*backends):
    return [
        pytest.param(
            backend,
            marks=pytest.mark.skipif(
                not installed(devices.LIBRARIES[backend]),
                reason=f"{devices.LIBRARIES[backend]} not installed",
            ),
        )
        for backend in backends
    ]


ALL = devices.BACKENDS
AUTODIFF = ("pytorch", "tensorflow", "jax")
# (benchmark class, backends whose result must match the reference at 64b, extra parameters).
# Minuit on tensorflow takes minutes per fit: measured by the suite, too slow for the tests.
WORKLOADS_64B = [
    (bench_likelihood.Logpdf, ALL, {}),
    (bench_likelihood.ExpectedData, ALL, {}),
    (bench_likelihood.LogpdfGradient, AUTODIFF, {}),
    (bench_fit.MLEFit, ALL, {}),
    (bench_fit.FixedPOIFit, ALL, {}),
    (bench_fit.MLEFitByOptimizer, ("numpy", "pytorch", "jax"), {"optimizer": "minuit"}),
    (bench_fit.FixedPOIFitByOptimizer, ("numpy", "jax"), {"optimizer": "minuit"}),
    (bench_infer.Hypotest, ALL, {}),
]


@pytest.mark.parametrize(
    "cls, backend, extra",
    [
        pytest.param(cls, *bp.values, extra, marks=bp.marks, id=f"{cls.__name__}-{bp.values[0]}")
        for cls, backends, extra in WORKLOADS_64B
        for bp in backend_params(*backends)
    ],
)
def test_workload_matches_the_reference_at_64b(cls, backend, extra, likelihood_data, slow_suite):
    """setup + one timed call per likelihood: the harness raises checks.WrongAnswer on any
    disagreement with the reference."""
    for likelihood in param_values(cls)["likelihood"]:
        params = dict(zip(cls.param_names, cheapest_params(cls, backend), strict=True))
        params.update(extra, likelihood=likelihood)
        bench = cls()
        bench.setup(*params.values())
        bench.timed()


@pytest.mark.parametrize(
    "cls, backend",
    [
        pytest.param(cls, *bp.values, marks=bp.marks, id=f"{cls.__name__}-{bp.values[0]}")
        for cls, backends in [
            (bench_likelihood.Logpdf, AUTODIFF),
            (bench_likelihood.ExpectedData, AUTODIFF),
            (bench_likelihood.LogpdfGradient, AUTODIFF),
            (bench_infer.Hypotest, ("jax",)),
        ]
        for bp in backend_params(*backends)
    ],
)
def test_32b_results_match_within_the_32b_tolerance(cls, backend, likelihood_data, slow_suite):
    bench = cls()
    bench.setup(backend, "cpu", "32b", "sbottom-RegionA")
    bench.timed()


@pytest.mark.parametrize("backend", backend_params("pytorch", "tensorflow"))
def test_32b_fits_on_torch_and_tensorflow_fail_loudly_with_new_scipy(
    backend, likelihood_data, slow_suite
):
    """pyhf 0.7.6 hands float32 arrays to scipy's SLSQP, which scipy >= 1.16 refuses: asv
    records a failure, never a time. (The legacy stack's scipy 1.11 accepts them.)"""
    import scipy

    if tuple(int(x) for x in scipy.__version__.split(".")[:2]) < (1, 16):
        pytest.skip("older scipy accepts float32 SLSQP inputs")
    bench = bench_fit.MLEFit()
    with pytest.raises(Exception, match="slsqp must be of type numpy.float64"):
        bench.setup(backend, "cpu", "32b", "sbottom-RegionA")  # tensorflow warms up here
        bench.time_mle_fit()


@pytest.mark.parametrize("likelihood", bench_infer.OTHER_LIKELIHOODS)
@pytest.mark.parametrize("backend", backend_params("numpy", "jax"))
def test_every_published_likelihood_reproduces_its_cls(backend, likelihood, likelihood_data):
    bench, cls_obs = run_benchmark(bench_infer.CLs, "track_cls_obs", backend, "cpu", likelihood)
    bench.timed()  # the expected band too
    assert cls_obs == pytest.approx(bench.reference["cls_obs"], abs=5e-5)


@pytest.mark.parametrize("backend", backend_params("numpy", "jax"))
def test_upper_limit_matches_the_reference(backend, likelihood_data):
    bench = bench_infer.UpperLimit()
    bench.setup(backend, "cpu", "sbottom-RegionA")
    observed, _ = bench.timed()  # the check: observed and expected limits within 2e-3
    assert float(observed) == pytest.approx(bench.reference["upper_limit_obs"], abs=2e-3)


@pytest.mark.parametrize("backend", backend_params("numpy", "pytorch"))
def test_toys_agree_with_the_asymptotic_cls(backend, likelihood_data):
    bench, toy_cls = run_benchmark(bench_infer.ToyHypotest, "track_toy_cls_obs", backend, "cpu", 1)
    assert toy_cls == pytest.approx(bench.reference["cls_obs"], abs=0.1)
    assert bench.measured()[0] == pytest.approx(bench.measured()[0])  # fixed seed: same toys


def test_grid_scan_checks_every_point_of_the_subset(likelihood_data, monkeypatch):
    monkeypatch.delenv(harness.SLOW_SWITCH)  # the slow switch scans the whole patchset
    bench = bench_scan.GridScan()
    bench.setup("numpy", "cpu", "sbottom-RegionA")
    seen = set()
    for _ in range(len(bench.points)):
        seen.add(bench.next_point)
        bench.time_cls_per_signal_point()
    assert seen == set(range(6))


@pytest.mark.parametrize(
    "cls, params",
    [
        (bench_fit.MLEFit, ("numpy", "cpu", "32b", "sbottom-RegionA")),
        (bench_fit.MLEFit, ("tensorflow", "cpu", "64b", "1Lbb")),
        (bench_fit.MLEFitByOptimizer, ("pytorch", "cpu", "sbottom-RegionA", "minuit")),
        (bench_infer.HypotestCoverage, ("pytorch", "cpu", "staus")),
        (bench_scan.GridScan, ("tensorflow", "cpu", "sbottom-RegionA")),
    ],
)
def test_slow_combinations_skip_before_any_import_by_default(cls, params, monkeypatch):
    monkeypatch.delenv(harness.SLOW_SWITCH, raising=False)
    with pytest.raises(NotImplementedError, match=f"slow: runs only with {harness.SLOW_SWITCH}=1"):
        cls().setup(*params)


def test_the_default_suite_keeps_every_backend_and_workload():
    """The slow switch trims combinations, never a whole benchmark or a backend on CPU."""
    for cls, method in (param.values for param in ALL_METHODS):
        combos = [
            dict(zip(cls.param_names, values, strict=True))
            for values in itertools.product(*cls.params)
        ]
        default = [c for c in combos if not harness.is_slow(c, getattr(cls, "slow_params", []))]
        assert default, f"{cls.__name__}.{method}: every combination is slow"
        if cls in (bench_infer.Hypotest, bench_fit.MLEFit, bench_likelihood.Logpdf):
            assert {c["backend"] for c in default} == set(devices.BACKENDS)


def test_the_slow_switch_scans_the_whole_grid(monkeypatch, likelihood_data):
    monkeypatch.setenv(harness.SLOW_SWITCH, "1")
    points = likelihoods.grid_points("sbottom-RegionA", full=harness.slow_enabled())
    assert len(points) > 100 and all(reference is None for *_, reference in points)


@pytest.mark.parametrize("n_bins", [1, 100, 10000])
@pytest.mark.parametrize("backend", backend_params(*devices.BACKENDS))
def test_scaling_models_match_numpy(backend, n_bins, likelihood_data):
    for cls in (bench_scaling.UncorrelatedLogpdf, bench_scaling.SharedModifiersLogpdf):
        if n_bins in param_values(cls)["n_bins"]:
            bench = cls()
            bench.setup(backend, "cpu", n_bins)
            bench.timed()


@pytest.mark.parametrize("backend", backend_params("numpy", "jax"))
def test_pyhf_benchmark_points_match_numpy(backend, likelihood_data):
    for n_bins in (1, 10, 50):
        bench = bench_scaling.PyhfBenchmarkHypotest()
        bench.setup(backend, "cpu", n_bins)
        bench.timed()


@pytest.mark.parametrize("cls", [bench_model.WorkspaceLoad, bench_model.PatchApply])
def test_json_steps_run_on_every_likelihood(cls, likelihood_data):
    for likelihood in likelihoods.likelihood_names():
        bench = cls()
        bench.setup(likelihood)
        assert bench.run()


def test_a_wrong_answer_fails_the_timed_method(likelihood_data):
    from benchmarks.bench_infer import Hypotest

    bench = Hypotest()
    bench.setup("numpy", "cpu", "64b", "sbottom-RegionA")
    bench.reference = dict(bench.reference, cls_obs=bench.reference["cls_obs"] + 1e-3)
    with pytest.raises(checks.WrongAnswer, match="CLs_obs"):
        bench.time_hypotest()


def test_numpy_32b_fit_is_refused_as_wrong(likelihood_data, slow_suite):
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
from benchmarks.bench_fit import MLEFitPeakMemory

class MLEFitWithBigSetup(MLEFitPeakMemory):
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
