"""Building a model: signal patch applied to the background-only workspace, model compiled."""

from ._support import pyhf_api
from ._support.harness import LikelihoodBenchmark


class ModelBuild(LikelihoodBenchmark):
    def run(self):
        return pyhf_api.build_model(self.workspace, self.signal_patch)

    def time_model_build(self, *params):
        self.timed()
