"""From published JSON to a model: workspace load (schema validation), patch application,
model build."""

from ._support.harness import FLOAT32, ON_1LBB, LikelihoodBenchmark, SpecBenchmark
from ._support.workloads import ModelBuildWorkload, PatchApplyWorkload, WorkspaceLoadWorkload


class WorkspaceLoad(WorkspaceLoadWorkload, SpecBenchmark):
    def time_workspace_load(self, likelihood):
        self.run()


class PatchApply(PatchApplyWorkload, SpecBenchmark):
    def time_patch_apply(self, likelihood):
        self.run()


class ModelBuild(ModelBuildWorkload, LikelihoodBenchmark):
    slow_params = [FLOAT32, ON_1LBB]  # PYHF_BENCHMARKS_SLOW=1 (README, "Run time")

    def time_model_build(self, *params):
        self.timed()
