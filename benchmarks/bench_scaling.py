"""Scaling with the number of bins, to show where an accelerator starts to pay off."""

from ._support.harness import Slow, SyntheticBenchmark
from ._support.workloads import HypotestWorkload, LogpdfWorkload


class UncorrelatedLogpdf(LogpdfWorkload, SyntheticBenchmark):
    """pyhf's benchmark model (one channel, a shapesys per bin), 1 to 10^4 bins."""

    family = "uncorrelated"

    def time_logpdf(self, *params):
        self.timed()


class SharedModifiersLogpdf(LogpdfWorkload, SyntheticBenchmark):
    """Ten channels sharing normsys and histosys modifiers, 10 to 10^4 bins."""

    family = "shared_modifiers"
    params = SyntheticBenchmark.params[:2] + [[10, 100, 1000, 10000]]

    def time_logpdf(self, *params):
        self.timed()


class PyhfBenchmarkHypotest(HypotestWorkload, Slow, SyntheticBenchmark):
    """pyhf's own tests/benchmarks points: hypotest on 1, 10, 50, 100, 200 bins."""

    family = "uncorrelated"
    params = SyntheticBenchmark.params[:2] + [[1, 10, 50, 100, 200]]

    def time_hypotest(self, *params):
        self.timed()
