"""The pyhf calls that benchmarks measure, each with the check of its result.

A workload is a mixin for a harness class: ``run`` is the one call that is timed,
``check_result`` the reference comparison (None where a result cannot be wrong), ``prepare``
any extra state built after the model. Benchmark modules combine a workload with a harness and
name the methods.
"""

from __future__ import annotations

from . import checks, pyhf_api

UPPER_LIMIT_SCAN = [0.5 + 0.75 * step for step in range(9)]  # mu = 0.5 ... 6.5
TOYS = 100
TOYS_SEED = 1


class WorkspaceLoadWorkload:
    """``pyhf.Workspace`` from the background-only JSON (schema validation included)."""

    def run(self):
        return pyhf_api.workspace(self.spec.background)


class PatchApplyWorkload:
    """The signal point's JSON patch applied to the background-only JSON (jsonpatch)."""

    def run(self):
        return pyhf_api.apply_patch(self.spec.background, self.spec.signal_patch)


class ModelBuildWorkload:
    """Signal patch applied to the background-only workspace, model and data built."""

    def run(self):
        return pyhf_api.build_model(self.workspace, self.signal_patch)


class _AtInitialParameters:
    def prepare(self):
        self.pars = pyhf_api.init_pars(self.model)


class LogpdfWorkload(_AtInitialParameters):
    """``model.logpdf`` at the model's suggested initial parameters."""

    check_result = checks.logpdf

    def run(self):
        return pyhf_api.logpdf(self.model, self.pars, self.data)


class ExpectedDataWorkload(_AtInitialParameters):
    """``model.expected_data`` (main and auxiliary) at the suggested initial parameters."""

    check_result = checks.expected_data

    def run(self):
        return pyhf_api.expected_data(self.model, self.pars)


class LogpdfGradientWorkload(_AtInitialParameters):
    """The gradient of ``logpdf`` by the backend's autodiff (numpy has none: skip)."""

    check_result = checks.logpdf_gradient
    needs_autodiff = True

    def run(self):
        return self.active.gradient(
            lambda pars: pyhf_api.logpdf(self.model, pars, self.data)[0], self.pars
        )


class MLEFitWorkload:
    """Unconstrained maximum-likelihood fit."""

    check_result = checks.mle_fit
    uses_optimizer = True

    def run(self):
        return pyhf_api.mle_fit(self.model, self.data)


class FixedPOIFitWorkload:
    """Maximum-likelihood fit with the POI fixed at 1."""

    check_result = checks.fixed_poi_fit
    uses_optimizer = True

    def run(self):
        return pyhf_api.fixed_poi_fit(self.model, self.data)


class HypotestWorkload:
    """Asymptotic CLs with qtilde and the expected band, at the reference's mu (1 unless the
    manifest says otherwise)."""

    check_result = checks.hypotest
    uses_optimizer = True

    def run(self):
        poi = self.reference.get("poi", 1.0) if self.reference else 1.0
        return pyhf_api.hypotest(self.model, self.data, poi)


class UpperLimitWorkload:
    """Observed and expected 95 % CL upper limits on mu from a fixed 9-point scan (0.5 to 6.5)."""

    check_result = checks.upper_limit
    uses_optimizer = True

    def run(self):
        return pyhf_api.upper_limit(self.model, self.data, UPPER_LIMIT_SCAN)


class ToyHypotestWorkload:
    """Toy-based CLs at mu = 1: 100 toys per hypothesis, fixed seed."""

    check_result = checks.toy_hypotest
    uses_optimizer = True

    def run(self):
        self.active.seed(TOYS_SEED)
        return pyhf_api.toy_hypotest(self.model, self.data, TOYS)
