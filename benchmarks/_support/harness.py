"""The shared setup of every benchmark: activate a backend on a device, load a likelihood,
build the model, warm up JIT backends, and forget setup's memory peak.

A benchmark class names the one pyhf call it measures in ``run`` and, where the result can be
wrong, the reference check in ``check``. Its ``time_`` and ``peakmem_`` methods call
``self.timed()`` (run, synchronize the device on the result, check it); ``track_`` methods
call ``self.measured()`` (run and synchronize) and report the value unchecked.
"""

from __future__ import annotations

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


class LikelihoodBenchmark:
    """One pyhf call on a published likelihood, for every backend × device × precision."""

    params = [
        list(devices.BACKENDS),
        list(devices.DEVICES),
        list(devices.PRECISIONS),
        FIRST_LIKELIHOODS,
    ]
    param_names = ["backend", "device", "precision", "likelihood"]
    optimizer = "scipy"
    timeout = 600

    def setup(self, backend, device, precision, likelihood):
        self.active = devices.activate(backend, device, precision, self.optimizer)
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
        if self.active.jit_compiles:  # trace + compile here, not in asv's samples
            start = time.perf_counter()
            self.timed()
            self.first_call_seconds = time.perf_counter() - start
        reset_host_peak_memory()

    def prepare(self) -> None:
        """Extra per-benchmark state, built after the model (override when needed)."""

    def run(self):
        raise NotImplementedError("a benchmark class names its pyhf call in run()")

    check_result = None  # a function of checks: (result, reference, precision) -> None

    def measured(self):
        return self.active.synchronize(self.run())

    def timed(self):
        result = self.measured()
        if self.check_result is not None:
            type(self).check_result(result, self.reference, self.active.precision)
        return result


class SlowLikelihoodBenchmark(LikelihoodBenchmark):
    """Seconds per call: one call a sample, few samples, no asv warm-up calls."""

    number = 1
    repeat = (1, 3, 30.0)
    warmup_time = 0
