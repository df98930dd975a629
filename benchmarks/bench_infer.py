"""Inference: asymptotic CLs with the expected band on every published likelihood, upper
limits from a scan, toy-based CLs (on pyhf's one-bin benchmark model: toys refit the model
for every pseudo-experiment, which would take minutes on a published likelihood), and the
CLs values themselves as ``track_`` benchmarks, so a change of physics shows on the dashboard.

``slow_params``: combinations that run only with PYHF_BENCHMARKS_SLOW=1 (README, "Run time").
"""

from ._support import devices, pyhf_api
from ._support.harness import (
    ALL_LIKELIHOODS,
    BUT_JAX,
    BUT_NUMPY,
    FIRST_LIKELIHOODS,
    FLOAT32,
    ON_1LBB,
    TENSORFLOW,
    LikelihoodBenchmark,
    Slow,
    SyntheticBenchmark,
)
from ._support.workloads import HypotestWorkload, ToyHypotestWorkload, UpperLimitWorkload

BACKEND_DEVICE = [list(devices.BACKENDS), list(devices.DEVICES)]
OTHER_LIKELIHOODS = [name for name in ALL_LIKELIHOODS if name not in FIRST_LIKELIHOODS]


class Hypotest(HypotestWorkload, Slow, LikelihoodBenchmark):
    """sbottom RegionA and 1Lbb, at 64b and 32b."""

    slow_params = [FLOAT32, ON_1LBB]

    def time_hypotest(self, *params):
        self.timed()


class HypotestCoverage(HypotestWorkload, Slow, LikelihoodBenchmark):
    """The other published likelihoods (sbottom B and C, staus, 3L-eRJR), at 64b."""

    param_names = ["backend", "device", "likelihood"]
    params = BACKEND_DEVICE + [OTHER_LIKELIHOODS]
    slow_params = [BUT_NUMPY]

    def time_hypotest(self, *params):
        self.timed()


class CLs(HypotestWorkload, Slow, LikelihoodBenchmark):
    """Observed and median expected CLs on every published likelihood (64b): not timed, so
    no warm-up call."""

    param_names = ["backend", "device", "likelihood"]
    params = BACKEND_DEVICE + [ALL_LIKELIHOODS]
    slow_params = [BUT_NUMPY, {"likelihood": tuple(set(ALL_LIKELIHOODS) - {"sbottom-RegionA"})}]
    warm_up = False

    def track_cls_obs(self, *params):
        return pyhf_api.cls_values(self.measured())[0]

    track_cls_obs.unit = "CLs"

    def track_cls_exp_median(self, *params):
        return pyhf_api.cls_values(self.measured())[1][2]

    track_cls_exp_median.unit = "CLs"


class UpperLimit(UpperLimitWorkload, Slow, LikelihoodBenchmark):
    param_names = ["backend", "device", "likelihood"]
    params = BACKEND_DEVICE + [["sbottom-RegionA"]]
    slow_params = [BUT_JAX]  # nine hypotests a call: numpy takes ~20 s

    def time_upper_limit(self, *params):
        self.timed()


class ToyHypotest(ToyHypotestWorkload, Slow, SyntheticBenchmark):
    family = "uncorrelated"
    params = BACKEND_DEVICE + [[1]]
    slow_params = [TENSORFLOW, {"backend": ("jax",)}]  # jax: fails with jax >= 0.5 (README)

    def time_toy_hypotest(self, *params):
        self.timed()

    def track_toy_cls_obs(self, *params):
        return pyhf_api.cls_values(self.measured())[0]

    track_toy_cls_obs.unit = "CLs"
