"""Correctness checks of timed results against the manifest's reference values.

A timed method whose result is wrong raises :class:`WrongAnswer`: asv records a failure and
no time, so a fast wrong answer never reaches the dashboard. ``track_`` methods report the raw
value instead, so a change of physics is visible like a slowdown.
"""

from __future__ import annotations

import math

from . import pyhf_api

# Absolute tolerance on CLs, absolute on twice the NLL at the best fit, relative on logpdf.
# 64b: pyhf releases and scipy versions agree to ~5e-6 in CLs; 32b is a float32 computation.
TOLERANCES = {
    "64b": {"cls": 5e-5, "twice_nll": 1e-3, "logpdf": 1e-9},
    "32b": {"cls": 5e-3, "twice_nll": 5e-2, "logpdf": 1e-5},
}


class WrongAnswer(AssertionError):
    """A workload's result disagrees with the reference beyond the stated tolerance."""


def _compare(what: str, got: float, expected: float, tolerance: float, relative: bool):
    scale = abs(expected) if relative else 1.0
    if not (math.isfinite(got) and abs(got - expected) <= tolerance * scale):
        kind = "relative" if relative else "absolute"
        raise WrongAnswer(
            f"{what} = {got:.8g}, reference {expected:.8g} ({kind} tolerance {tolerance:g})"
        )


def hypotest(result, reference: dict, precision: str) -> None:
    cls_obs, cls_exp = pyhf_api.cls_values(result)
    tolerance = TOLERANCES[precision]["cls"]
    _compare("CLs_obs", cls_obs, reference["cls_obs"], tolerance, relative=False)
    for sigma, got, expected in zip((-2, -1, 0, 1, 2), cls_exp, reference["cls_exp"], strict=True):
        _compare(f"CLs_exp({sigma:+d}σ)", got, expected, tolerance, relative=False)


def mle_fit(result, reference: dict, precision: str) -> None:
    _, twice_nll = result
    tolerance = TOLERANCES[precision]["twice_nll"]
    got = pyhf_api.as_floats(twice_nll)[0]
    _compare("-2 ln L at the best fit", got, reference["fit_twice_nll"], tolerance, False)


def logpdf(result, reference: dict, precision: str) -> None:
    got = pyhf_api.as_floats(result)[0]
    tolerance = TOLERANCES[precision]["logpdf"]
    _compare(
        "logpdf at the initial parameters",
        got,
        reference["logpdf_init"],
        tolerance,
        True,
    )
