"""asv benchmarks of pyhf: one module per topic, each a table of what is measured.

asv's forkserver imports this package once per environment and forks every benchmark from
that process, so pyhf and its numpy/scipy stack are imported here, once: a fork then pays only
for its own backend. No other tensor library is imported here (tests/test_devices.py).
"""

import contextlib

# Where pyhf is broken in this environment, each benchmark's setup() skips with the reason.
with contextlib.suppress(Exception):
    import pyhf.infer  # noqa: F401
