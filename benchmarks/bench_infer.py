"""Inference: asymptotic CLs with the expected band on every published likelihood, upper
limits from a scan, toy-based CLs (on pyhf's one-bin benchmark model: toys refit the model
for every pseudo-experiment, which would take minutes on a published likelihood)."""

from ._support import devices, pyhf_api
from ._support.harness import (
    ALL_LIKELIHOODS,
    FIRST_LIKELIHOODS,
    LikelihoodBenchmark,
    Slow,
    SyntheticBenchmark,
)
from ._support.workloads import HypotestWorkload, ToyHypotestWorkload, UpperLimitWorkload

BACKEND_DEVICE = [list(devices.BACKENDS), list(devices.DEVICES)]
OTHER_LIKELIHOODS = [name for name in ALL_LIKELIHOODS if name not in FIRST_LIKELIHOODS]


class _CLs:
    def track_cls_obs(self, *params):
        return pyhf_api.cls_values(self.measured())[0]

    track_cls_obs.unit = "CLs"

    def track_cls_exp_median(self, *params):
        return pyhf_api.cls_values(self.measured())[1][2]

    track_cls_exp_median.unit = "CLs"


class Hypotest(HypotestWorkload, _CLs, Slow, LikelihoodBenchmark):
    """sbottom RegionA and 1Lbb, at 64b and 32b."""

    def time_hypotest(self, *params):
        self.timed()


class HypotestCoverage(HypotestWorkload, _CLs, Slow, LikelihoodBenchmark):
    """The other published likelihoods (sbottom B and C, staus, 3L-eRJR), at 64b."""

    param_names = ["backend", "device", "likelihood"]
    params = BACKEND_DEVICE + [OTHER_LIKELIHOODS]

    def time_hypotest(self, *params):
        self.timed()


class UpperLimit(UpperLimitWorkload, Slow, LikelihoodBenchmark):
    param_names = ["backend", "device", "likelihood"]
    params = BACKEND_DEVICE + [["sbottom-RegionA"]]

    def time_upper_limit(self, *params):
        self.timed()

    def track_upper_limit_obs(self, *params):
        return pyhf_api.as_floats(self.measured()[0])[0]

    track_upper_limit_obs.unit = "mu"


class ToyHypotest(ToyHypotestWorkload, Slow, SyntheticBenchmark):
    family = "uncorrelated"
    params = BACKEND_DEVICE + [[1]]

    def time_toy_hypotest(self, *params):
        self.timed()

    def track_toy_cls_obs(self, *params):
        return pyhf_api.cls_values(self.measured())[0]

    track_toy_cls_obs.unit = "CLs"
