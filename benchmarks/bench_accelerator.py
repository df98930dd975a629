"""What accelerators change, apart from the steady state the other modules time.

- ``FirstCall*.track_first_call_seconds``: the first call on a freshly built model, tracing
  and compilation included (JIT backends only; numpy and pytorch skip: no compilation).
- ``DeviceMemory*.track_device_peak_bytes``: peak accelerator memory during one call (skips
  where the library keeps no device statistics, e.g. on the CPU: see ``peakmem_`` there).
"""

from ._support.harness import TENSORFLOW, DeviceMemoryBenchmark, FirstCallBenchmark
from ._support.workloads import HypotestWorkload, LogpdfWorkload, MLEFitWorkload


class FirstCallLogpdf(LogpdfWorkload, FirstCallBenchmark):
    pass


class FirstCallMLEFit(MLEFitWorkload, FirstCallBenchmark):
    slow_params = FirstCallBenchmark.slow_params + [TENSORFLOW]


class FirstCallHypotest(HypotestWorkload, FirstCallBenchmark):
    slow_params = FirstCallBenchmark.slow_params + [TENSORFLOW]


class DeviceMemoryMLEFit(MLEFitWorkload, DeviceMemoryBenchmark):
    pass


class DeviceMemoryHypotest(HypotestWorkload, DeviceMemoryBenchmark):
    pass
