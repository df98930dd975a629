"""The one place that knows how pyhf's API differs between commits.

Features are detected (modules, attributes, signatures), never read off version strings, so
an unreleased commit in the middle of a range gets the call it understands. A feature a commit
lacks raises :class:`NotImplementedError`, which asv records as a skip, with a one-line reason.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import inspect

import numpy as np

# pyhf's own defaults since 0.5, named so that every commit builds the same model.
MODIFIER_SETTINGS = {
    "normsys": {"interpcode": "code4"},
    "histosys": {"interpcode": "code4p"},
}


def skip(reason: str):
    raise NotImplementedError(reason)


def one_line(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"


@functools.lru_cache(maxsize=1)
def _pyhf_or_reason():
    try:
        pyhf = importlib.import_module("pyhf")
    except Exception as exc:  # an old commit on new packages fails in many ways
        return None, f"pyhf does not import in this environment: {one_line(exc)}"
    try:
        _smoke_test(pyhf)
    except Exception as exc:
        numpy_version = np.__version__
        reason = f"pyhf does not work with this environment (numpy {numpy_version}): "
        return None, reason + one_line(exc)
    return pyhf, None


def _smoke_test(pyhf) -> None:
    """A two-bin model on numpy: catches commits broken by newer packages (np.product)."""
    simple = getattr(pyhf.simplemodels, "uncorrelated_background", None)
    model = (simple or pyhf.simplemodels.hepdata_like)([5.0, 10.0], [50.0, 60.0], [5.0, 12.0])
    pars = pyhf.default_backend.astensor(model.config.suggested_init())
    model.logpdf(pars, pyhf.default_backend.astensor([55.0, 70.0] + model.config.auxdata))


def import_pyhf():
    """pyhf at this commit, or a skip saying why it cannot run in this environment."""
    pyhf, reason = _pyhf_or_reason()
    if pyhf is None:
        skip(reason)
    return pyhf


def has_backend(backend: str) -> bool:
    """Whether this pyhf commit ships the backend (pytorch/tensorflow left main in 2025)."""
    import_pyhf()
    return importlib.util.find_spec(f"pyhf.tensor.{backend}_backend") is not None


def set_backend(backend: str, precision: str, optimizer: str = "scipy"):
    """Activate a backend at a precision; returns pyhf's tensorlib."""
    pyhf = import_pyhf()
    if "precision" not in inspect.signature(pyhf.set_backend).parameters:
        skip("this pyhf has no set_backend(precision=...)")
    if optimizer == "minuit" and importlib.util.find_spec("iminuit") is None:
        skip("minuit: iminuit is not installed in this environment")
    import_errors = (ImportError, getattr(pyhf.exceptions, "ImportBackendError", ImportError))
    try:
        pyhf.set_backend(backend, optimizer, precision=precision)
    except import_errors as exc:  # e.g. v0.7.0 importing jax.config from a newer jax
        skip(f"{backend}: this pyhf cannot load its {backend} backend here ({one_line(exc)})")
    tensorlib, _ = pyhf.get_backend()
    if getattr(tensorlib, "precision", precision) != precision:
        skip(f"{backend}: pyhf ignored precision={precision}")
    return tensorlib


def apply_patch(spec: dict, patch: list) -> dict:
    """A JSON patch applied to a workspace spec, as pyhf does it (jsonpatch, a dependency)."""
    import jsonpatch

    return jsonpatch.apply_patch(spec, patch)


def tensorlib():
    return import_pyhf().get_backend()[0]


def workspace(spec: dict):
    """A pyhf Workspace (validates the spec against pyhf's schema)."""
    return import_pyhf().Workspace(spec)


def build_model(ws, signal_patch: list):
    """Model and observed data (as backend tensors) of a workspace with one signal patch."""
    model = ws.model(patches=[signal_patch], modifier_settings=MODIFIER_SETTINGS)
    data = tensorlib().astensor(ws.data(model))
    return model, data


def init_pars(model):
    return tensorlib().astensor(model.config.suggested_init())


def logpdf(model, pars, data):
    return model.logpdf(pars, data)


def expected_data(model, pars):
    return model.expected_data(pars)


def fixed_poi_fit(model, data, poi: float = 1.0):
    """Fit with the POI fixed; returns (best-fit parameters, -2 ln L there)."""
    return import_pyhf().infer.mle.fixed_poi_fit(poi, data, model, return_fitted_val=True)


def upper_limit(model, data, scan):
    """Observed and expected upper limits on the POI from a fixed scan.

    pyhf 0.7 moved ``intervals.upperlimit`` to ``intervals.upper_limits.upper_limit``.
    """
    intervals = importlib.import_module("pyhf.infer.intervals")
    module = getattr(intervals, "upper_limits", None)
    function = getattr(module, "upper_limit", None) or getattr(intervals, "upperlimit", None)
    if function is None:
        skip("this pyhf has no upper-limit scan")
    scan = tensorlib().astensor(scan)
    return function(data, model, scan)[:2]


def toy_hypotest(model, data, ntoys: int, poi: float = 1.0):
    """Toy-based CLs at ``poi`` with qtilde; returns (CLs_obs, [5 expected CLs])."""
    return import_pyhf().infer.hypotest(
        poi,
        data,
        model,
        test_stat="qtilde",
        calctype="toybased",
        ntoys=ntoys,
        track_progress=False,
        return_expected_set=True,
    )


def simple_model(signal, background, background_uncertainty):
    """pyhf's one-channel model with uncorrelated background uncertainties per bin."""
    simplemodels = import_pyhf().simplemodels
    factory = getattr(simplemodels, "uncorrelated_background", None)
    return (factory or simplemodels.hepdata_like)(signal, background, background_uncertainty)


def model_from_spec(spec: dict):
    return import_pyhf().Model(spec, poi_name="mu")


def mle_fit(model, data):
    """Unconstrained maximum-likelihood fit; returns (best-fit parameters, -2 ln L there)."""
    return import_pyhf().infer.mle.fit(data, model, return_fitted_val=True)


def hypotest(model, data, poi: float = 1.0):
    """Asymptotic CLs at ``poi`` with qtilde; returns (CLs_obs, [5 expected CLs])."""
    infer = import_pyhf().infer
    calculator = inspect.signature(infer.calculators.AsymptoticCalculator.__init__)
    if "test_stat" in calculator.parameters:  # pyhf >= 0.6
        test_stat = {"test_stat": "qtilde"}
    else:
        test_stat = {"qtilde": True}
    return infer.hypotest(poi, data, model, return_expected_set=True, **test_stat)


def as_floats(value) -> list[float]:
    """A backend tensor (or nest of them) as a flat list of Python floats."""
    if isinstance(value, (list, tuple)):
        return [item for part in value for item in as_floats(part)]
    return [float(x) for x in np.ravel(np.asarray(tensorlib().tolist(value)))]


def cls_values(result) -> tuple[float, list[float]]:
    """(CLs_obs, expected band) from :func:`hypotest`'s result, as floats."""
    cls_obs, cls_exp = result
    return as_floats(cls_obs)[0], as_floats(cls_exp)
