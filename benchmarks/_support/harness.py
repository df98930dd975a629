"""The shared setup of every benchmark: activate a backend on a device, load a likelihood,
build the model, warm up JIT backends, and forget setup's memory peak.

A benchmark class combines a workload (``workloads.py``: the one pyhf call in ``run`` and its
reference check) with a harness class below, and names the asv methods. ``time_`` and
``peakmem_`` methods call ``self.timed()`` (run, synchronize the device on the result, check
it); ``track_`` methods report a value unchecked, so a change of physics shows on the dashboard.
"""

from __future__ import annotations

import abc
import gc
import time

from . import devices, likelihoods, pyhf_api

FIRST_LIKELIHOODS = ["sbottom-RegionA", "1Lbb"]


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


class LikelihoodBenchmark(abc.ABC):
    """One pyhf call on a published likelihood, for every backend × device × precision.

    Abstract until a workload supplies ``run``: asv skips abstract classes, so the methods
    defined here are benchmarks only in the concrete classes of the bench_* modules.
    """

    params = [
        list(devices.BACKENDS),
        list(devices.DEVICES),
        list(devices.PRECISIONS),
        FIRST_LIKELIHOODS,
    ]
    param_names = ["backend", "device", "precision", "likelihood"]
    optimizer = "scipy"
    timeout = 600
    check_result = None  # a function of checks: (result, reference, precision) -> None
    uses_optimizer = False  # fits and hypotests copy parameters to the host every step
    warm_up = True  # run once in setup where the backend compiles on first use

    def setup(self, backend, device, precision, likelihood):
        self.active = devices.activate(backend, device, precision, self.optimizer)
        self.require()
        try:
            spec = likelihoods.load(likelihood)
        except likelihoods.DataError as exc:
            raise NotImplementedError(str(exc)) from None
        self.reference = spec.reference
        self.workspace = pyhf_api.workspace(spec.background)
        self.signal_patch = spec.signal_patch
        self.model, self.data = pyhf_api.build_model(self.workspace, self.signal_patch)
        self.prepare()
        self.first_call_seconds = None
        if self.warm_up and self.active.jit_compiles:  # trace + compile here, not in samples
            self.first_call_seconds = self.seconds(self.timed)
        reset_host_peak_memory()

    def require(self) -> None:
        """Skip (NotImplementedError) what this benchmark cannot measure on the active device."""
        if self.uses_optimizer and self.active.device != "cpu":
            self.active.require_host_roundtrip()

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


class SlowLikelihoodBenchmark(LikelihoodBenchmark):
    """Seconds per call: one call a sample, few samples, no asv warm-up calls."""

    number = 1
    repeat = (1, 3, 30.0)
    warmup_time = 0


class FirstCallBenchmark(SlowLikelihoodBenchmark):
    """The first call on a freshly built model: tracing and compilation included."""

    warm_up = False

    def require(self):
        if not self.active.jit_compiles:
            raise NotImplementedError(
                f"{self.active.backend}: no JIT compilation, the first call is steady state"
            )
        super().require()

    def track_first_call_seconds(self, *params):
        return self.seconds(self.timed)

    track_first_call_seconds.unit = "seconds"


class DeviceMemoryBenchmark(SlowLikelihoodBenchmark):
    """Peak accelerator memory during one call (host memory is asv's peakmem_)."""

    def require(self):
        super().require()
        self.active.peak_memory_bytes()  # skips where the library reports no statistics

    def track_device_peak_bytes(self, *params):
        self.active.reset_peak_memory()
        self.timed()
        return self.active.peak_memory_bytes()

    track_device_peak_bytes.unit = "bytes"
