"""Evaluating the likelihood at the model's suggested initial parameters."""

from ._support.harness import LikelihoodBenchmark
from ._support.workloads import LogpdfWorkload


class Logpdf(LogpdfWorkload, LikelihoodBenchmark):
    def time_logpdf(self, *params):
        self.timed()
