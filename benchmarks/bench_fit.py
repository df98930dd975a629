"""Maximum-likelihood fits."""

from ._support import pyhf_api
from ._support.harness import SlowLikelihoodBenchmark
from ._support.workloads import MLEFitWorkload


class MLEFit(MLEFitWorkload, SlowLikelihoodBenchmark):
    def time_mle_fit(self, *params):
        self.timed()

    def peakmem_mle_fit(self, *params):
        self.timed()

    def track_twice_nll(self, *params):
        return pyhf_api.as_floats(self.measured()[1])[0]

    track_twice_nll.unit = "-2 ln L"
