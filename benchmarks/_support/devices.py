"""The one place that knows tensor backends and devices.

``activate(backend, device, precision)`` checks, cheapest first, that the combination can run
here (device present, backend shipped by this pyhf commit, library installed, library sees the
device), sets pyhf's backend and makes the device the default for new arrays. Anything missing
is an asv skip (``NotImplementedError``) with a one-line reason. ``Active.synchronize`` is what
every timed method calls on its result so that the clock stops only when the device is done.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

from . import pyhf_api

BACKENDS = ("numpy", "pytorch", "tensorflow", "jax")
DEVICES = ("cpu", "gpu", "tpu")
PRECISIONS = ("64b", "32b")

# The Python package each backend needs (pyhf's backend name -> importable module).
LIBRARIES = {
    "numpy": "numpy",
    "pytorch": "torch",
    "tensorflow": "tensorflow",
    "jax": "jax",
}


# Process hygiene for accelerators, applied before a backend is imported: no library grabs the
# whole GPU up front (the default for JAX and TensorFlow), so peak-memory numbers mean something
# and two processes can share a card. asv's "forkserver" launch method gives every benchmark a
# fresh process forked from one that imported no backend, so only one backend (and its thread
# pools, and its CUDA context) lives in each.
ACCELERATOR_ENVIRONMENT = {
    "XLA_PYTHON_CLIENT_PREALLOCATE": "false",
    "TF_FORCE_GPU_ALLOW_GROWTH": "true",
    "TF_CPP_MIN_LOG_LEVEL": "2",
}


skip = pyhf_api.skip


def device_index() -> int:
    """Which device of the kind to use (``$PYHF_BENCHMARKS_DEVICE_INDEX``, default 0)."""
    return int(os.environ.get("PYHF_BENCHMARKS_DEVICE_INDEX", "0"))


def hardware_probe(device: str) -> str | None:
    """Why ``device`` is surely absent on this machine (None: it may be present).

    Asked before any backend is imported, so that absent accelerators cost no import time.
    """
    if device == "gpu" and not _any_path("/dev/nvidia[0-9]*", "/dev/kfd", "/dev/dxg"):
        return "no GPU on this machine (no /dev/nvidia*, /dev/kfd or /dev/dxg)"
    if device == "tpu" and not _any_path("/dev/accel*", "/dev/vfio/[0-9]*"):
        return "no TPU on this machine (no /dev/accel* or /dev/vfio)"
    return None


def _any_path(*patterns: str) -> bool:
    return any(any(Path("/").glob(pattern.lstrip("/"))) for pattern in patterns)


class _Backend:
    """How one tensor library places work on a device and waits for it."""

    name: str
    jit_compiles = False  # True: the first call traces/compiles; warm up before timing
    autodiff = True  # False: no automatic differentiation (numpy)

    def device_handle(self, library, device: str):
        return device

    def place(self, library, handle) -> None:
        """Make ``handle`` the default device for arrays created from now on."""

    def synchronize(self, library, result) -> None:
        """Block until the computation that produced ``result`` has finished."""

    def device_of(self, library, array) -> str:
        return "cpu"

    def device_label(self, library, array) -> str:
        """The array's device as the library names it (e.g. ``TFRT_CPU_1``, ``cuda:0``)."""
        return self.device_of(library, array)

    def gradient(self, library, function, pars):
        """The gradient of a scalar ``function`` at ``pars`` by the library's autodiff."""
        skip(f"{self.name}: no automatic differentiation")

    def seed(self, library, value: int) -> None:
        """Seed every random generator pyhf's sampling may use with this backend."""
        import numpy

        numpy.random.seed(value)

    def reset_peak_memory(self, library, handle) -> None:
        """Start the device's peak-memory count afresh (where the library allows it)."""

    def peak_memory_bytes(self, library, handle) -> int | None:
        """Peak bytes allocated on the device, or None where the library does not say."""
        return None


class _Numpy(_Backend):
    name = "numpy"
    autodiff = False

    def device_handle(self, library, device):
        if device != "cpu":
            skip(f"numpy: runs on the CPU only, not on {device}")
        return device


class _Jax(_Backend):
    name = "jax"
    jit_compiles = True

    def device_handle(self, library, device):
        try:
            candidates = library.devices(device)
        except RuntimeError as exc:
            skip(f"jax: no {device} device ({str(exc).splitlines()[0]})")
        if device_index() >= len(candidates):
            skip(f"jax: no {device} device #{device_index()} (found {len(candidates)})")
        return candidates[device_index()]

    def place(self, library, handle):
        library.config.update("jax_default_device", handle)

    def synchronize(self, library, result):
        library.block_until_ready(result)

    def _device(self, array):
        (device,) = array.devices()
        return device

    def device_of(self, library, array):
        platform = self._device(array).platform
        return {"cuda": "gpu", "rocm": "gpu"}.get(platform, platform)

    def device_label(self, library, array):
        device = self._device(array)
        return f"{device.platform}:{device.id}"

    def gradient(self, library, function, pars):
        return library.grad(function)(pars)

    def peak_memory_bytes(self, library, handle):
        # jax cannot reset this count: asv's fresh process per benchmark keeps it to this
        # benchmark (model, data and the workload), and the CPU client reports no stats.
        stats = handle.memory_stats() if hasattr(handle, "memory_stats") else None
        return None if not stats else stats.get("peak_bytes_in_use")


class _Torch(_Backend):
    name = "pytorch"

    def device_handle(self, library, device):
        if device == "tpu":
            skip("pytorch: TPUs need torch_xla, which pyhf's pytorch backend does not use")
        if device == "gpu":
            if not library.cuda.is_available():
                skip("pytorch: torch.cuda.is_available() is False (CPU build or no driver)")
            if device_index() >= library.cuda.device_count():
                skip(f"pytorch: no cuda device #{device_index()}")
            return library.device("cuda", device_index())
        return library.device("cpu")

    def place(self, library, handle):
        library.set_default_device(handle)

    def synchronize(self, library, result):
        if library.cuda.is_available() and library.cuda.is_initialized():
            library.cuda.synchronize()

    def device_of(self, library, array):
        return {"cuda": "gpu"}.get(array.device.type, array.device.type)

    def device_label(self, library, array):
        return str(array.device)

    def gradient(self, library, function, pars):
        pars = pars.detach().clone().requires_grad_(True)
        (grad,) = library.autograd.grad(function(pars), pars)
        return grad

    def seed(self, library, value):
        super().seed(library, value)
        library.manual_seed(value)

    def reset_peak_memory(self, library, handle):
        if handle.type == "cuda":
            library.cuda.reset_peak_memory_stats(handle)

    def peak_memory_bytes(self, library, handle):
        return library.cuda.max_memory_allocated(handle) if handle.type == "cuda" else None


class _Tensorflow(_Backend):
    name = "tensorflow"
    jit_compiles = True  # tfp traces tf.functions on first use

    def device_handle(self, library, device):
        kind = {"cpu": "CPU", "gpu": "GPU", "tpu": "TPU"}[device]
        if device == "tpu":
            skip("tensorflow: TPUs need a TPUStrategy, which pyhf's backend does not use")
        if len(library.config.list_logical_devices(kind)) <= device_index():
            skip(f"tensorflow: no {kind} device #{device_index()} visible to TensorFlow")
        return f"/{kind}:{device_index()}"

    def place(self, library, handle):
        # tf.device is a context manager; asv calls setup and the timed method separately in
        # one thread, so the context is entered here and stays open for the process.
        context = library.device(handle)
        context.__enter__()

    def synchronize(self, library, result):
        for leaf in _leaves(result):
            if hasattr(leaf, "numpy"):
                leaf.numpy()

    def device_of(self, library, array):
        return self.device_label(library, array).split(":")[0].lower()

    def device_label(self, library, array):
        return array.device.rsplit("/device:", 1)[-1]

    def gradient(self, library, function, pars):
        pars = library.Variable(pars)
        with library.GradientTape() as tape:
            value = function(pars)
        return tape.gradient(value, pars)

    def seed(self, library, value):
        super().seed(library, value)
        library.random.set_seed(value)

    def reset_peak_memory(self, library, handle):
        if "GPU" in handle:
            library.config.experimental.reset_memory_stats(handle.strip("/"))

    def peak_memory_bytes(self, library, handle):
        if "GPU" not in handle:
            return None
        return library.config.experimental.get_memory_info(handle.strip("/"))["peak"]


def _leaves(tree):
    if isinstance(tree, (list, tuple)):
        for item in tree:
            yield from _leaves(item)
    elif isinstance(tree, dict):
        for item in tree.values():
            yield from _leaves(item)
    else:
        yield tree


_ADAPTERS = {adapter.name: adapter() for adapter in (_Numpy, _Jax, _Torch, _Tensorflow)}


def jit_compiles(backend: str) -> bool:
    """Whether the backend traces/compiles on first use (known without importing it)."""
    return _ADAPTERS[backend].jit_compiles


def has_autodiff(backend: str) -> bool:
    """Whether the backend differentiates automatically (known without importing it)."""
    return _ADAPTERS[backend].autodiff


def check_names(backend: str, device: str, precision: str) -> None:
    """A clear one-line error for a name that is not a backend, device or precision."""
    for kind, value, known in (
        ("backend", backend, BACKENDS),
        ("device", device, DEVICES),
        ("precision", precision, PRECISIONS),
    ):
        if value not in known:
            raise ValueError(f"unknown {kind} {value!r}; known: {', '.join(known)}")


@dataclass
class Active:
    """A backend activated on a device: what benchmarks use to place and wait for work."""

    backend: str
    device: str
    precision: str
    library: object
    adapter: _Backend
    tensorlib: object
    handle: object

    @property
    def jit_compiles(self) -> bool:
        return self.adapter.jit_compiles

    def synchronize(self, result):
        self.adapter.synchronize(self.library, result)
        return result

    def device_label(self, array) -> str:
        return self.adapter.device_label(self.library, array)

    def reset_peak_memory(self) -> None:
        self.adapter.reset_peak_memory(self.library, self.handle)

    def peak_memory_bytes(self) -> int:
        peak = self.adapter.peak_memory_bytes(self.library, self.handle)
        if peak is None:
            skip(f"{self.backend} on {self.device}: no device memory statistics (see peakmem_)")
        return peak

    def gradient(self, function, pars):
        return self.adapter.gradient(self.library, function, pars)

    def seed(self, value: int) -> None:
        self.adapter.seed(self.library, value)

    def require_host_roundtrip(self) -> None:
        """Skip unless pyhf can bring a tensor on this device back to the host.

        The optimizers (fits, hypotests) convert parameters to Python lists every step; pyhf's
        pytorch backend does that with ``.numpy()`` without ``.cpu()``, which CUDA refuses.
        """
        try:
            self.tensorlib.tolist(self.tensorlib.astensor([1.0]))
        except Exception as exc:
            skip(
                f"{self.backend} on {self.device}: this pyhf cannot copy device tensors to the "
                f"host, so its optimizers cannot run here ({pyhf_api.one_line(exc)})"
            )


def activate(backend: str, device: str, precision: str, optimizer: str = "scipy") -> Active:
    check_names(backend, device, precision)
    reason = hardware_probe(device)
    if reason:
        skip(f"{device}: {reason}")
    adapter = _ADAPTERS[backend]
    if backend == "numpy":
        adapter.device_handle(None, device)
    if not pyhf_api.has_backend(backend):
        skip(f"{backend}: this pyhf commit has no {backend} backend")
    module = LIBRARIES[backend]
    if importlib.util.find_spec(module) is None:
        skip(f"{backend}: {module} is not installed in this environment")
    for name, value in ACCELERATOR_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    library = importlib.import_module(module)
    handle = adapter.device_handle(library, device)
    adapter.place(library, handle)
    tensorlib = pyhf_api.set_backend(backend, precision, optimizer)
    return Active(backend, device, precision, library, adapter, tensorlib, handle)
