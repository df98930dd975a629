"""The pyhf calls that benchmarks measure, each with the check of its result.

A workload is a mixin for a harness class: ``run`` is the one call that is timed, ``check``
the reference comparison (None where a result cannot be wrong), ``prepare`` any extra state
built after the model. Benchmark modules combine a workload with a harness and name methods.
"""

from __future__ import annotations

from . import checks, pyhf_api


class ModelBuildWorkload:
    """Signal patch applied to the background-only workspace, model and data built."""

    def run(self):
        return pyhf_api.build_model(self.workspace, self.signal_patch)


class LogpdfWorkload:
    """``model.logpdf`` at the model's suggested initial parameters."""

    check_result = checks.logpdf

    def prepare(self):
        self.pars = pyhf_api.init_pars(self.model)

    def run(self):
        return pyhf_api.logpdf(self.model, self.pars, self.data)


class MLEFitWorkload:
    """Unconstrained maximum-likelihood fit (scipy)."""

    check_result = checks.mle_fit
    uses_optimizer = True

    def run(self):
        return pyhf_api.mle_fit(self.model, self.data)


class HypotestWorkload:
    """Asymptotic CLs at mu = 1 with qtilde and the expected band."""

    check_result = checks.hypotest
    uses_optimizer = True

    def run(self):
        return pyhf_api.hypotest(self.model, self.data)
