"""Maximum-likelihood fits: free and with the POI fixed; scipy against minuit.

Minuit with pyhf's autodiff backends evaluates the objective and its gradient hundreds of
times in eager mode (tensorflow: about a minute per fit on sbottom RegionA, ten on 1Lbb on a
2-core machine), so the optimizer comparison runs on sbottom RegionA only.

``slow_params``: combinations that run only with PYHF_BENCHMARKS_SLOW=1 (README, "Run time").
"""

from ._support import devices
from ._support.harness import (
    BUT_NUMPY,
    FIRST_LIKELIHOODS,
    FLOAT32,
    ON_1LBB,
    PYTORCH_AND_TENSORFLOW,
    PYTORCH_AND_TENSORFLOW_ON_1LBB,
    TENSORFLOW,
    LikelihoodBenchmark,
    Slow,
)
from ._support.workloads import FixedPOIFitWorkload, MLEFitWorkload

BACKEND_DEVICE = [list(devices.BACKENDS), list(devices.DEVICES)]
BY_OPTIMIZER = {
    "param_names": ["backend", "device", "likelihood", "optimizer"],
    "params": BACKEND_DEVICE + [["sbottom-RegionA"], ["scipy", "minuit"]],
    "slow_params": [PYTORCH_AND_TENSORFLOW, {"backend": ("jax",), "optimizer": ("scipy",)}],
}
FIXED_POI_BY_OPTIMIZER = {
    **BY_OPTIMIZER,
    "slow_params": [BUT_NUMPY],
}


class MLEFit(MLEFitWorkload, Slow, LikelihoodBenchmark):
    slow_params = [FLOAT32, PYTORCH_AND_TENSORFLOW_ON_1LBB]

    def time_mle_fit(self, *params):
        self.timed()


class MLEFitPeakMemory(MLEFitWorkload, Slow, LikelihoodBenchmark):
    """Host memory of one fit (the workload only: setup's peak is reset)."""

    slow_params = [FLOAT32, ON_1LBB, PYTORCH_AND_TENSORFLOW]

    def peakmem_mle_fit(self, *params):
        self.timed()


class FixedPOIFit(FixedPOIFitWorkload, Slow, LikelihoodBenchmark):
    param_names = ["backend", "device", "likelihood"]
    params = BACKEND_DEVICE + [FIRST_LIKELIHOODS]
    slow_params = [ON_1LBB, TENSORFLOW]

    def time_fixed_poi_fit(self, *params):
        self.timed()


class MLEFitByOptimizer(MLEFitWorkload, Slow, LikelihoodBenchmark):
    param_names, params, slow_params = BY_OPTIMIZER.values()

    def time_mle_fit(self, *params):
        self.timed()


class FixedPOIFitByOptimizer(FixedPOIFitWorkload, Slow, LikelihoodBenchmark):
    param_names, params, slow_params = FIXED_POI_BY_OPTIMIZER.values()

    def time_fixed_poi_fit(self, *params):
        self.timed()
