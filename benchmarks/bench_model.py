"""Building a model: signal patch applied to the background-only workspace, model compiled."""

from ._support.harness import LikelihoodBenchmark
from ._support.workloads import ModelBuildWorkload


class ModelBuild(ModelBuildWorkload, LikelihoodBenchmark):
    def time_model_build(self, *params):
        self.timed()
