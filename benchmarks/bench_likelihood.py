"""The likelihood at the model's suggested initial parameters: value, expected data, gradient."""

from ._support.harness import LikelihoodBenchmark
from ._support.workloads import ExpectedDataWorkload, LogpdfGradientWorkload, LogpdfWorkload


class Logpdf(LogpdfWorkload, LikelihoodBenchmark):
    def time_logpdf(self, *params):
        self.timed()


class ExpectedData(ExpectedDataWorkload, LikelihoodBenchmark):
    def time_expected_data(self, *params):
        self.timed()


class LogpdfGradient(LogpdfGradientWorkload, LikelihoodBenchmark):
    def time_logpdf_gradient(self, *params):
        self.timed()
