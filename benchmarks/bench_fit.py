"""Maximum-likelihood fits: free and with the POI fixed; scipy against minuit.

Minuit with pyhf's autodiff backends evaluates the objective and its gradient hundreds of
times in eager mode (tensorflow: about a minute per fit on sbottom RegionA, ten on 1Lbb on a
2-core machine), so the optimizer comparison runs on sbottom RegionA only.
"""

from ._support import devices, pyhf_api
from ._support.harness import FIRST_LIKELIHOODS, LikelihoodBenchmark, Slow
from ._support.workloads import FixedPOIFitWorkload, MLEFitWorkload

BACKEND_DEVICE = [list(devices.BACKENDS), list(devices.DEVICES)]
BY_OPTIMIZER = {
    "param_names": ["backend", "device", "likelihood", "optimizer"],
    "params": BACKEND_DEVICE + [["sbottom-RegionA"], ["scipy", "minuit"]],
}


class MLEFit(MLEFitWorkload, Slow, LikelihoodBenchmark):
    def time_mle_fit(self, *params):
        self.timed()

    def peakmem_mle_fit(self, *params):
        self.timed()

    def track_twice_nll(self, *params):
        return pyhf_api.as_floats(self.measured()[1])[0]

    track_twice_nll.unit = "-2 ln L"


class FixedPOIFit(FixedPOIFitWorkload, Slow, LikelihoodBenchmark):
    param_names = ["backend", "device", "likelihood"]
    params = BACKEND_DEVICE + [FIRST_LIKELIHOODS]

    def time_fixed_poi_fit(self, *params):
        self.timed()


class MLEFitByOptimizer(MLEFitWorkload, Slow, LikelihoodBenchmark):
    param_names, params = BY_OPTIMIZER["param_names"], BY_OPTIMIZER["params"]

    def time_mle_fit(self, *params):
        self.timed()


class FixedPOIFitByOptimizer(FixedPOIFitWorkload, Slow, LikelihoodBenchmark):
    param_names, params = BY_OPTIMIZER["param_names"], BY_OPTIMIZER["params"]

    def time_fixed_poi_fit(self, *params):
        self.timed()
