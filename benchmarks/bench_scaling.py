"""Scaling with the number of bins, to show where an accelerator starts to pay off.

``slow_params``: combinations that run only with PYHF_BENCHMARKS_SLOW=1 (README, "Run time").
"""

from ._support.harness import BUT_NUMPY, TENSORFLOW, Slow, SyntheticBenchmark
from ._support.workloads import HypotestWorkload, LogpdfWorkload


class UncorrelatedLogpdf(LogpdfWorkload, SyntheticBenchmark):
    """pyhf's benchmark model (one channel, a shapesys per bin), 1 to 10^4 bins."""

    family = "uncorrelated"
    slow_params = [TENSORFLOW, {"n_bins": (10, 1000)}]

    def time_logpdf(self, *params):
        self.timed()


class SharedModifiersLogpdf(LogpdfWorkload, SyntheticBenchmark):
    """Ten channels sharing normsys and histosys modifiers, 10 to 10^4 bins."""

    family = "shared_modifiers"
    params = SyntheticBenchmark.params[:2] + [[10, 100, 1000, 10000]]
    slow_params = [TENSORFLOW, {"backend": ("pytorch",)}, {"n_bins": (10, 1000)}]

    def time_logpdf(self, *params):
        self.timed()


class PyhfBenchmarkHypotest(HypotestWorkload, Slow, SyntheticBenchmark):
    """pyhf's own tests/benchmarks points: hypotest on 1, 10, 50, 100, 200 bins."""

    family = "uncorrelated"
    params = SyntheticBenchmark.params[:2] + [[1, 10, 50, 100, 200]]
    slow_params = [BUT_NUMPY, {"n_bins": (10, 100)}]

    def time_hypotest(self, *params):
        self.timed()
