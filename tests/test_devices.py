"""Device placement, synchronization, JIT warm-up and process hygiene, shown on real CPU
devices (jax can split the host into several devices)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys

import pytest

from benchmarks._support import devices
from conftest import REPO_ROOT, installed

needs_jax = pytest.mark.skipif(not installed("jax"), reason="jax not installed")


def run_python(code: str, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code, str(REPO_ROOT)],
        capture_output=True,
        text=True,
        env=dict(os.environ, **env),
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


PLACEMENT_PROBE = """
import sys
sys.path.insert(0, sys.argv[1])
from benchmarks.bench_fit import MLEFit
from benchmarks.bench_likelihood import Logpdf

logpdf = Logpdf()
logpdf.setup("jax", "cpu", "64b", "sbottom-RegionA")
fit = MLEFit()
fit.setup("jax", "cpu", "64b", "sbottom-RegionA")
arrays = {"data": logpdf.data, "pars": logpdf.pars, "logpdf": logpdf.timed(),
          "fit": fit.timed()[0]}
for name, array in arrays.items():
    print(name, logpdf.active.device_label(array))
"""


@needs_jax
def test_jax_work_runs_on_the_device_asked_for(likelihood_data):
    """With two host devices, asking for device #1 puts data, parameters and results there."""
    flags = "--xla_force_host_platform_device_count=2"
    on_second = run_python(PLACEMENT_PROBE, XLA_FLAGS=flags, PYHF_BENCHMARKS_DEVICE_INDEX="1")
    on_first = run_python(PLACEMENT_PROBE, XLA_FLAGS=flags, PYHF_BENCHMARKS_DEVICE_INDEX="0")
    assert on_second.split() == [
        "data",
        "cpu:1",
        "pars",
        "cpu:1",
        "logpdf",
        "cpu:1",
        "fit",
        "cpu:1",
    ]
    assert set(on_first.split()[1::2]) == {"cpu:0"}


@needs_jax
def test_a_device_index_that_does_not_exist_skips():
    out = run_python(
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from benchmarks._support import devices\n"
        "try:\n    devices.activate('jax', 'cpu', '64b')\n"
        "except NotImplementedError as exc:\n    print(exc)\n",
        PYHF_BENCHMARKS_DEVICE_INDEX="3",
    )
    assert out.strip() == "jax: no cpu device #3 (found 1)"


@pytest.mark.parametrize("backend", ["numpy", "jax"])
def test_the_clock_stops_on_the_result_of_the_timed_call(backend, monkeypatch, likelihood_data):
    if not installed(devices.LIBRARIES[backend]):
        pytest.skip(f"{backend} not installed")
    from benchmarks.bench_likelihood import Logpdf

    bench = Logpdf()
    bench.setup(backend, "cpu", "64b", "sbottom-RegionA")
    returned, synchronized = [], []
    real_run, real_sync = bench.run, bench.active.adapter.synchronize

    def run():
        returned.append(real_run())
        return returned[-1]

    def synchronize(library, result):
        synchronized.append(result)
        real_sync(library, result)

    monkeypatch.setattr(bench, "run", run)
    monkeypatch.setattr(bench.active.adapter, "synchronize", synchronize)
    bench.time_logpdf()
    assert len(returned) == 1 and synchronized == [returned[0]]
    assert synchronized[0] is returned[0]


STEADY_VS_FIRST = """
import sys, time, statistics
sys.path.insert(0, sys.argv[1])
from benchmarks.bench_accelerator import FirstCallLogpdf
from benchmarks.bench_likelihood import Logpdf

first = FirstCallLogpdf()
first.setup("jax", "cpu", "64b", "sbottom-RegionA")
first_call = first.track_first_call_seconds()
steady = Logpdf()
steady.setup("jax", "cpu", "64b", "sbottom-RegionA")
samples = []
for _ in range(7):
    start = time.perf_counter(); steady.time_logpdf(); samples.append(time.perf_counter() - start)
print(first_call, statistics.median(samples))
"""


@needs_jax
def test_compile_time_is_not_in_steady_state_samples(likelihood_data):
    first_call, steady_median = map(float, run_python(STEADY_VS_FIRST).split())
    assert steady_median < first_call / 10, (first_call, steady_median)


@needs_jax
def test_warm_up_happens_in_setup(likelihood_data):
    from benchmarks.bench_fit import MLEFit

    bench = MLEFit()
    bench.setup("jax", "cpu", "64b", "sbottom-RegionA")
    assert bench.first_call_seconds is not None
    samples = [bench.seconds(bench.time_mle_fit) for _ in range(3)]
    assert samples[0] < bench.first_call_seconds / 3, (samples, bench.first_call_seconds)
    assert statistics.median(samples) < bench.first_call_seconds / 3


def test_importing_the_suite_imports_no_backend():
    """asv's forkserver imports every benchmark module once and forks a process per benchmark:
    a backend (or CUDA) imported there would be shared by every fork."""
    out = run_python(
        "import importlib, pkgutil, sys; sys.path.insert(0, sys.argv[1])\n"
        "import benchmarks\n"
        "for info in pkgutil.walk_packages(benchmarks.__path__, 'benchmarks.'):\n"
        "    importlib.import_module(info.name)\n"
        "heavy = ('torch', 'jax', 'tensorflow', 'nextstat')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    assert out.strip() == "[]"


def test_one_backend_per_process_and_no_gpu_preallocation():
    out = run_python(
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from benchmarks._support import devices\n"
        "devices.activate('numpy', 'cpu', '64b')\n"
        "print(sorted(m for m in ('torch', 'jax', 'tensorflow') if m in sys.modules))\n"
    )
    assert out.strip() == "[]"
    if installed("jax"):
        out = run_python(
            "import os, sys; sys.path.insert(0, sys.argv[1])\n"
            "from benchmarks._support import devices\n"
            "devices.activate('jax', 'cpu', '64b')\n"
            "print(os.environ['XLA_PYTHON_CLIENT_PREALLOCATE'],"
            " sorted(m for m in ('torch', 'tensorflow') if m in sys.modules))\n"
        )
        assert out.strip() == "false []"


def test_optimizers_skip_where_pyhf_cannot_copy_device_tensors_to_the_host():
    class CudaTensorlib:  # pyhf's pytorch backend calls .numpy() without .cpu()
        def astensor(self, values):
            return values

        def tolist(self, tensor):
            raise TypeError("can't convert cuda:0 device type tensor to numpy.")

    active = devices.Active(
        "pytorch", "gpu", "64b", None, devices._ADAPTERS["pytorch"], CudaTensorlib(), None
    )
    with pytest.raises(NotImplementedError, match="pytorch on gpu: this pyhf cannot copy"):
        active.require_host_roundtrip()


@pytest.mark.parametrize("backend", devices.BACKENDS)
def test_cpu_has_no_device_memory_statistics(backend):
    if not installed(devices.LIBRARIES[backend]):
        pytest.skip(f"{backend} not installed")
    active = devices.activate(backend, "cpu", "64b")
    with pytest.raises(NotImplementedError, match=f"{backend} on cpu: no device memory"):
        active.peak_memory_bytes()
