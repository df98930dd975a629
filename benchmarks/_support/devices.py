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


def skip(reason: str):
    raise NotImplementedError(reason)


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

    def device_handle(self, library, device: str):
        return device

    def place(self, library, handle) -> None:
        """Make ``handle`` the default device for arrays created from now on."""

    def synchronize(self, library, result) -> None:
        """Block until the computation that produced ``result`` has finished."""

    def device_of(self, library, array) -> str:
        return "cpu"


class _Numpy(_Backend):
    name = "numpy"

    def device_handle(self, library, device):
        if device != "cpu":
            skip(f"numpy: runs on the CPU only, not on {device}")
        return device


class _Jax(_Backend):
    name = "jax"
    jit_compiles = True

    def device_handle(self, library, device):
        try:
            return library.devices(device)[0]
        except RuntimeError as exc:
            skip(f"jax: no {device} device ({str(exc).splitlines()[0]})")

    def place(self, library, handle):
        library.config.update("jax_default_device", handle)

    def synchronize(self, library, result):
        library.block_until_ready(result)

    def device_of(self, library, array):
        (device,) = array.devices()
        return {"cuda": "gpu", "rocm": "gpu"}.get(device.platform, device.platform)


class _Torch(_Backend):
    name = "pytorch"

    def device_handle(self, library, device):
        if device == "tpu":
            skip("pytorch: TPUs need torch_xla, which pyhf's pytorch backend does not use")
        if device == "gpu":
            if not library.cuda.is_available():
                skip("pytorch: torch.cuda.is_available() is False (CPU build or no driver)")
            return library.device("cuda", 0)
        return library.device("cpu")

    def place(self, library, handle):
        library.set_default_device(handle)

    def synchronize(self, library, result):
        if library.cuda.is_available() and library.cuda.is_initialized():
            library.cuda.synchronize()

    def device_of(self, library, array):
        return {"cuda": "gpu"}.get(array.device.type, array.device.type)


class _Tensorflow(_Backend):
    name = "tensorflow"
    jit_compiles = True  # tfp traces tf.functions on first use

    def device_handle(self, library, device):
        kind = {"cpu": "CPU", "gpu": "GPU", "tpu": "TPU"}[device]
        if not library.config.list_logical_devices(kind):
            skip(f"tensorflow: no {kind} device visible to TensorFlow")
        if device == "tpu":
            skip("tensorflow: TPUs need a TPUStrategy, which pyhf's backend does not use")
        return f"/{kind}:0"

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
        return array.device.rsplit("/device:", 1)[-1].split(":")[0].lower()


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

    @property
    def jit_compiles(self) -> bool:
        return self.adapter.jit_compiles

    def synchronize(self, result):
        self.adapter.synchronize(self.library, result)
        return result

    def device_of(self, array) -> str:
        return self.adapter.device_of(self.library, array)


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
    library = importlib.import_module(module)
    handle = adapter.device_handle(library, device)
    adapter.place(library, handle)
    tensorlib = pyhf_api.set_backend(backend, precision, optimizer)
    return Active(backend, device, precision, library, adapter, tensorlib)
