"""Maximum-likelihood fits."""

from ._support import checks, pyhf_api
from ._support.harness import SlowLikelihoodBenchmark


class MLEFit(SlowLikelihoodBenchmark):
    check_result = checks.mle_fit

    def run(self):
        return pyhf_api.mle_fit(self.model, self.data)

    def time_mle_fit(self, *params):
        self.timed()

    def peakmem_mle_fit(self, *params):
        self.timed()

    def track_twice_nll(self, *params):
        return pyhf_api.as_floats(self.measured()[1])[0]

    track_twice_nll.unit = "-2 ln L"
