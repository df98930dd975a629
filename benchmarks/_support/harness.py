"""The shared setup of every benchmark: activate a backend on a device, build the model of a
workload, warm up JIT backends, and forget setup's memory peak.

A benchmark class combines a workload (``workloads.py``: the one pyhf call in ``run`` and its
reference check) with a harness class below, and names the asv methods. ``time_`` and
``peakmem_`` methods call ``self.timed()`` (run, synchronize the device on the result, check
it); ``track_`` methods report a value unchecked, so a change of physics shows on the dashboard.
Harness classes are abstract (no ``run``): asv skips them, so methods defined here are
benchmarks only in the concrete classes of the bench_* modules.
"""

from __future__ import annotations

import abc
import gc
import os
import time

from . import devices, likelihoods, pyhf_api

FIRST_LIKELIHOODS = ["sbottom-RegionA", "1Lbb"]
# Building blocks of the classes' ``slow_params`` tables: what the default run leaves to
# PYHF_BENCHMARKS_SLOW=1 (README, "Run time": the default run covers every workload on all
# four backends at 64b, mostly on sbottom RegionA; 1Lbb, 32b and tensorflow's costliest
# combinations, more likelihoods, bins and optimizers are slow).
FLOAT32 = {"precision": ("32b",)}
TENSORFLOW = {"backend": ("tensorflow",)}
ON_1LBB = {"likelihood": ("1Lbb",)}
TENSORFLOW_ON_1LBB = {**TENSORFLOW, **ON_1LBB}
PYTORCH_AND_TENSORFLOW = {"backend": ("pytorch", "tensorflow")}  # numpy and jax by default
PYTORCH_AND_TENSORFLOW_ON_1LBB = {**PYTORCH_AND_TENSORFLOW, **ON_1LBB}
BUT_NUMPY = {"backend": ("pytorch", "tensorflow", "jax")}
BUT_JAX = {"backend": ("numpy", "pytorch", "tensorflow")}
ALL_LIKELIHOODS = likelihoods.likelihood_names()
SLOW_SWITCH = "PYHF_BENCHMARKS_SLOW"


def slow_enabled() -> bool:
    return os.environ.get(SLOW_SWITCH, "") not in ("", "0")


def is_slow(chosen: dict, slow_params: list[dict]) -> bool:
    """Whether a parameter combination matches one of ``slow_params``' entries (each a dict of
    parameter name -> the values that make the combination slow; all names must match)."""
    return any(
        all(chosen.get(name) in values for name, values in entry.items()) for entry in slow_params
    )


def require_default_or_slow(chosen: dict, slow_params: list[dict]) -> None:
    if is_slow(chosen, slow_params) and not slow_enabled():
        pyhf_api.skip(f"slow: runs only with {SLOW_SWITCH}=1 (keeps the default run short)")


def reset_host_peak_memory() -> None:
    """Start the process's peak-RSS count afresh, so asv's peakmem_ sees only the workload.

    asv reads the lifetime peak (ru_maxrss); Linux resets it through clear_refs ("5").
    Elsewhere setup's peak stays in the number, which the tests would catch.
    """
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        pass


class BackendBenchmark(abc.ABC):
    """A pyhf call on a backend and device. Subclasses name the other parameters and ``load``
    the workload's model, data and reference values from them."""

    param_names = ["backend", "device", "precision"]
    params = [list(devices.BACKENDS), list(devices.DEVICES), list(devices.PRECISIONS)]
    optimizer = "scipy"
    timeout = 600
    check_result = None  # a function of checks: (result, reference, precision) -> None
    uses_optimizer = False  # fits and hypotests copy parameters to the host every step
    warm_up = True  # run once in setup where the backend compiles on first use
    only_jit_backends = False
    only_accelerators = False
    needs_autodiff = False
    # Parameter combinations measured only with $PYHF_BENCHMARKS_SLOW=1 (see ``is_slow``):
    # float32 everywhere by default, since pyhf's fits at 32b are wrong or crash (README).
    slow_params = [FLOAT32]

    def setup(self, *args):
        chosen = dict(zip(self.param_names, args, strict=True))
        self.require_before_import(chosen["backend"], chosen["device"])
        require_default_or_slow(chosen, self.slow_params)
        backend, device = chosen.pop("backend"), chosen.pop("device")
        precision = chosen.pop("precision", "64b")
        optimizer = chosen.pop("optimizer", self.optimizer)
        self.active = devices.activate(backend, device, precision, optimizer)
        if self.uses_optimizer and device != "cpu":
            self.active.require_host_roundtrip()
        if self.only_accelerators:
            self.active.peak_memory_bytes()  # skips where the library reports no statistics
        self.load(**chosen)
        self.prepare()
        self.first_call_seconds = None
        if self.warm_up and self.active.jit_compiles:  # trace + compile here, not in samples
            self.first_call_seconds = self.seconds(self.timed)
        reset_host_peak_memory()

    def require_before_import(self, backend: str, device: str) -> None:
        """Cheap skips, decided before any backend is imported."""
        devices.check_names(backend, device, "64b")
        if self.only_jit_backends and not devices.jit_compiles(backend):
            raise NotImplementedError(f"{backend}: no JIT compilation, the first call is steady")
        if self.needs_autodiff and not devices.has_autodiff(backend):
            raise NotImplementedError(f"{backend}: no automatic differentiation")
        if self.only_accelerators and device == "cpu":
            raise NotImplementedError("cpu: no device memory statistics (host memory: peakmem_)")

    @abc.abstractmethod
    def load(self, **workload_params) -> None:
        """Set ``model``, ``data`` and ``reference`` (and what the workload needs)."""

    def prepare(self) -> None:  # noqa: B027 (a hook, not an abstract method)
        """Extra per-benchmark state, built after the model (workloads override it)."""

    @abc.abstractmethod
    def run(self):
        """The one pyhf call being measured."""

    def measured(self):
        return self.active.synchronize(self.run())

    def timed(self):
        result = self.measured()
        if self.check_result is not None:
            type(self).check_result(result, self.reference, self.active.precision)
        return result

    @staticmethod
    def seconds(call) -> float:
        start = time.perf_counter()
        call()
        return time.perf_counter() - start


class LikelihoodBenchmark(BackendBenchmark):
    """A pyhf call on a published likelihood at its reference signal point."""

    param_names = BackendBenchmark.param_names + ["likelihood"]
    params = BackendBenchmark.params + [FIRST_LIKELIHOODS]

    def load(self, likelihood):
        try:
            spec = likelihoods.load(likelihood)
        except likelihoods.DataError as exc:
            raise NotImplementedError(str(exc)) from None
        self.reference = spec.reference
        self.workspace = pyhf_api.workspace(spec.background)
        self.signal_patch = spec.signal_patch
        self.model, self.data = pyhf_api.build_model(self.workspace, self.signal_patch)


class Slow:
    """Seconds per call: one call a sample, few samples in one process, no asv warm-up calls."""

    number = 1
    repeat = (1, 3, 20.0)
    rounds = 1
    warmup_time = 0


class FirstCallBenchmark(Slow, LikelihoodBenchmark):
    """The first call on a freshly built model: tracing and compilation included."""

    warm_up = False
    only_jit_backends = True
    slow_params = [FLOAT32, ON_1LBB]

    def track_first_call_seconds(self, *params):
        return self.seconds(self.timed)

    track_first_call_seconds.unit = "seconds"


class DeviceMemoryBenchmark(Slow, LikelihoodBenchmark):
    """Peak accelerator memory during one call (host memory is asv's peakmem_)."""

    only_accelerators = True

    def track_device_peak_bytes(self, *params):
        self.active.reset_peak_memory()
        self.timed()
        return self.active.peak_memory_bytes()

    track_device_peak_bytes.unit = "bytes"


class SpecBenchmark(abc.ABC):
    """A pure-Python pyhf step on a published likelihood's JSON: no backend, no device."""

    param_names = ["likelihood"]
    params = [ALL_LIKELIHOODS]
    timeout = 600
    slow_params: list[dict] = []

    def setup(self, likelihood):
        require_default_or_slow({"likelihood": likelihood}, self.slow_params)
        pyhf_api.import_pyhf()
        try:
            self.spec = likelihoods.load(likelihood)
        except likelihoods.DataError as exc:
            raise NotImplementedError(str(exc)) from None

    @abc.abstractmethod
    def run(self):
        """The one pyhf call being measured."""


class SyntheticBenchmark(BackendBenchmark):
    """A pyhf call on a synthetic model of ``n_bins`` bins (scaling studies). The reference
    values come from ``data/manifest.json`` ("synthetic"), computed with numpy at 64b."""

    param_names = ["backend", "device", "n_bins"]
    params = [list(devices.BACKENDS), list(devices.DEVICES), [1, 10, 100, 1000, 10000]]
    family = ""  # a key of manifest["synthetic"] and of synthetic.FAMILIES

    def load(self, n_bins):
        from . import synthetic

        self.model, self.data = synthetic.FAMILIES[self.family](n_bins)
        self.reference = likelihoods.synthetic_reference(self.family, n_bins)


class GridBenchmark(Slow, BackendBenchmark):
    """CLs for many signal points of one analysis; each sample is the next point, so the
    median is the time per signal point. A fixed subset by default (manifest "grid"); every
    point of the patchset when $PYHF_BENCHMARKS_SLOW is set."""

    param_names = ["backend", "device", "likelihood"]
    params = [list(devices.BACKENDS), list(devices.DEVICES), FIRST_LIKELIHOODS]
    repeat = (3, 6, 60.0)
    uses_optimizer = True

    def load(self, likelihood):
        try:
            points = likelihoods.grid_points(likelihood, full=slow_enabled())
        except likelihoods.DataError as exc:
            raise NotImplementedError(str(exc)) from None
        workspace = pyhf_api.workspace(likelihoods.load(likelihood).background)
        self.points = [
            (name, *pyhf_api.build_model(workspace, patch), reference)
            for name, patch, reference in points
        ]
        self.next_point = 0

    def timed(self):
        _, self.model, self.data, self.reference = self.points[self.next_point]
        self.next_point = (self.next_point + 1) % len(self.points)
        return super().timed()
