"""The likelihood at the model's suggested initial parameters: value, expected data, gradient.

``slow_params``: combinations that run only with PYHF_BENCHMARKS_SLOW=1 (README, "Run time").
"""

from ._support.harness import (
    FLOAT32,
    ON_1LBB,
    PYTORCH_AND_TENSORFLOW,
    TENSORFLOW,
    TENSORFLOW_ON_1LBB,
    LikelihoodBenchmark,
)
from ._support.workloads import ExpectedDataWorkload, LogpdfGradientWorkload, LogpdfWorkload


class Logpdf(LogpdfWorkload, LikelihoodBenchmark):
    slow_params = [
        {"precision": ("32b",), "backend": ("numpy", "pytorch", "tensorflow")},
        {"precision": ("32b",), "likelihood": ("1Lbb",)},
        TENSORFLOW_ON_1LBB,
    ]

    def time_logpdf(self, *params):
        self.timed()


class ExpectedData(ExpectedDataWorkload, LikelihoodBenchmark):
    slow_params = [FLOAT32, ON_1LBB, PYTORCH_AND_TENSORFLOW]

    def time_expected_data(self, *params):
        self.timed()


class LogpdfGradient(LogpdfGradientWorkload, LikelihoodBenchmark):
    slow_params = [FLOAT32, ON_1LBB, TENSORFLOW]

    def time_logpdf_gradient(self, *params):
        self.timed()
