"""Hypothesis tests: asymptotic CLs at mu = 1 with qtilde and the expected band."""

from ._support import pyhf_api
from ._support.harness import SlowLikelihoodBenchmark
from ._support.workloads import HypotestWorkload


class Hypotest(HypotestWorkload, SlowLikelihoodBenchmark):
    def time_hypotest(self, *params):
        self.timed()

    def track_cls_obs(self, *params):
        return pyhf_api.cls_values(self.measured())[0]

    track_cls_obs.unit = "CLs"
