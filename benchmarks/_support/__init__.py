"""Support for the benchmark modules: devices (backends and devices), pyhf_api (differences
between pyhf commits), likelihoods (the published data), harness (the shared setup).

Nothing here is imported by asv as a benchmark: no name starts with time_, peakmem_ or track_.
"""
