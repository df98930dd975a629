"""Correctness checks of timed results against the manifest's reference values.

A timed method whose result is wrong raises :class:`WrongAnswer`: asv records a failure and
no time, so a fast wrong answer never reaches the dashboard. ``track_`` methods report the raw
value instead, so a change of physics is visible like a slowdown.
"""

from __future__ import annotations

import math

from . import pyhf_api

# Absolute on CLs and on the POI's upper limit, absolute on -2 ln L at a fit's minimum,
# relative on logpdf, expected data and the gradient's norm. At 64b pyhf releases and scipy
# versions agree to ~5e-6 in CLs; 32b is a float32 computation.
TOLERANCES = {
    "64b": {"cls": 5e-5, "twice_nll": 1e-3, "logpdf": 1e-9, "gradient": 1e-6, "mu": 2e-3},
    "32b": {"cls": 5e-3, "twice_nll": 5e-2, "logpdf": 1e-5, "gradient": 1e-3, "mu": 5e-2},
}
# Toy-based CLs from 100 toys scatters around the asymptotic value by ~0.05: a sanity bound.
TOYS_CLS_TOLERANCE = 0.1


class WrongAnswer(AssertionError):
    """A workload's result disagrees with the reference beyond the stated tolerance."""


def compare(what: str, got: float, expected: float, tolerance: float, relative: bool):
    scale = abs(expected) if relative else 1.0
    if not (math.isfinite(got) and abs(got - expected) <= tolerance * scale):
        kind = "relative" if relative else "absolute"
        raise WrongAnswer(
            f"{what} = {got:.8g}, reference {expected:.8g} ({kind} tolerance {tolerance:g})"
        )


def _first(value) -> float:
    return pyhf_api.as_floats(value)[0]


def hypotest(result, reference: dict | None, precision: str) -> None:
    cls_obs, cls_exp = pyhf_api.cls_values(result)
    if reference is None:  # a grid point without a reference: CLs must at least be a CLs
        if not all(0.0 <= value <= 1.0 for value in [cls_obs, *cls_exp]):
            raise WrongAnswer(f"CLs outside [0, 1]: {cls_obs}, {cls_exp}")
        return
    tolerance = TOLERANCES[precision]["cls"]
    compare("CLs_obs", cls_obs, reference["cls_obs"], tolerance, relative=False)
    for sigma, got, expected in zip((-2, -1, 0, 1, 2), cls_exp, reference["cls_exp"], strict=True):
        compare(f"CLs_exp({sigma:+d}σ)", got, expected, tolerance, relative=False)


def toy_hypotest(result, reference: dict, precision: str) -> None:
    cls_obs, _ = pyhf_api.cls_values(result)
    compare("toy CLs_obs", cls_obs, reference["cls_obs"], TOYS_CLS_TOLERANCE, relative=False)


def mle_fit(result, reference: dict, precision: str) -> None:
    tolerance = TOLERANCES[precision]["twice_nll"]
    got = _first(result[1])
    compare("-2 ln L at the best fit", got, reference["fit_twice_nll"], tolerance, False)


def fixed_poi_fit(result, reference: dict, precision: str) -> None:
    tolerance = TOLERANCES[precision]["twice_nll"]
    got = _first(result[1])
    expected = reference["fixed_poi_fit_twice_nll"]
    compare("-2 ln L at the best fit with mu = 1", got, expected, tolerance, False)


def logpdf(result, reference: dict, precision: str) -> None:
    tolerance = TOLERANCES[precision]["logpdf"]
    compare(
        "logpdf at the initial parameters",
        _first(result),
        reference["logpdf_init"],
        tolerance,
        True,
    )


def expected_data(result, reference: dict, precision: str) -> None:
    tolerance = TOLERANCES[precision]["logpdf"]
    got = math.fsum(pyhf_api.as_floats(result))
    compare("sum of expected data", got, reference["expected_data_sum"], tolerance, True)


def logpdf_gradient(result, reference: dict, precision: str) -> None:
    tolerance = TOLERANCES[precision]["gradient"]
    got = math.sqrt(math.fsum(x * x for x in pyhf_api.as_floats(result)))
    compare("|d logpdf / d pars|", got, reference["logpdf_grad_norm"], tolerance, True)


def upper_limit(result, reference: dict, precision: str) -> None:
    tolerance = TOLERANCES[precision]["mu"]
    observed, expected = result
    compare(
        "observed upper limit", _first(observed), reference["upper_limit_obs"], tolerance, False
    )
    expected = pyhf_api.as_floats(expected)
    for sigma, got, ref in zip(
        (-2, -1, 0, 1, 2), expected, reference["upper_limit_exp"], strict=True
    ):
        compare(f"expected upper limit ({sigma:+d}σ)", got, ref, tolerance, False)
