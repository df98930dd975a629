"""Evaluating the likelihood at the model's suggested initial parameters."""

from ._support import checks, pyhf_api
from ._support.harness import LikelihoodBenchmark


class Logpdf(LikelihoodBenchmark):
    check_result = checks.logpdf

    def prepare(self):
        self.pars = pyhf_api.init_pars(self.model)

    def run(self):
        return pyhf_api.logpdf(self.model, self.pars, self.data)

    def time_logpdf(self, *params):
        self.timed()
