"""The grid scan: CLs for many signal points of one analysis, as time per signal point.

Default: the fixed subset in data/manifest.json ("grid"); the whole patchset (sbottom RegionA:
218 points, 1Lbb: 125) with PYHF_BENCHMARKS_SLOW=1.
"""

from ._support.harness import ON_1LBB, PYTORCH_AND_TENSORFLOW, GridBenchmark
from ._support.workloads import HypotestWorkload


class GridScan(HypotestWorkload, GridBenchmark):
    slow_params = [PYTORCH_AND_TENSORFLOW, ON_1LBB]  # PYHF_BENCHMARKS_SLOW=1 (README)

    def time_cls_per_signal_point(self, *params):
        self.timed()
