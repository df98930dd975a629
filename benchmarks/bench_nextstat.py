"""A yardstick beside pyhf: the same workloads on NextStat, with parity gates.

NextStat (PyPI ``nextstat``, https://nextstat.io, AGPL-3.0-or-later or commercial) is a Rust
implementation of HistFactory that reads pyhf workspaces. It is an optional dependency of the
"current" stack, imported only here, and never vendored. Class and method names match the
pyhf benchmarks (``bench_infer.Hypotest.time_hypotest`` and ``bench_nextstat.Hypotest
.time_hypotest``), on the same likelihoods, signal points and scans, so plots put them side by
side. Every timed sample is checked against the manifest's references (pyhf, numpy, 64b) with
the tolerances below; ``Parity.track_*`` put the differences themselves on the dashboard.

What differs from the pyhf workloads, by necessity:
- ``Hypotest``: ``nextstat.hypotest`` returns the observed CLs; the expected band comes from
  the same fits in the asymptotic formulae (``cls_curve`` recomputes them), so it is checked in
  ``Parity``, not timed.
- ``device``: NextStat's fits, profile scans and toys take ``device="cuda"`` (its CUDA build);
  its other calls run on the CPU only, and skip on ``gpu`` with that reason.
"""

from __future__ import annotations

import importlib
import json
import math

from ._support import checks, devices, likelihoods, pyhf_api, synthetic
from ._support.harness import (
    ALL_LIKELIHOODS,
    FIRST_LIKELIHOODS,
    Slow,
    require_default_or_slow,
    slow_enabled,
)
from ._support.workloads import TOYS, TOYS_SEED, UPPER_LIMIT_SCAN

DEVICES = ["cpu", "gpu"]
# NextStat against pyhf (numpy, 64b): absolute on CLs, -2 ln L, mu; relative on the NLL, the
# gradient's norm and the expected data. The two minimizers (scipy's SLSQP in pyhf, L-BFGS-B in
# NextStat) stop at slightly different points: CLs agree to ~5e-5 on sbottom RegionA.
TOLERANCES = {
    "cls": 2e-4,
    "twice_nll": 1e-3,
    "poi": 5e-3,
    "mu": 2e-3,
    "nll": 1e-9,
    "gradient": 1e-6,
}
INSTALL_HINT = "optional: pip install nextstat (see README, 'NextStat')"


def import_nextstat():
    try:
        return importlib.import_module("nextstat")
    except ImportError:
        pyhf_api.skip(f"nextstat is not installed ({INSTALL_HINT})")


def _nll_reference(reference: dict) -> float:
    return -reference["logpdf_init"]


class NextStatBenchmark:
    """A NextStat call on a published likelihood at its reference signal point."""

    param_names = ["device", "likelihood"]
    params = [DEVICES, FIRST_LIKELIHOODS]
    timeout = 600
    uses_device = False  # whether the call takes NextStat's device argument
    slow_params: list[dict] = []

    def setup(self, device, *workload):
        devices.check_names("numpy", device, "64b")
        if device != "cpu":
            reason = devices.hardware_probe(device)
            if reason:
                pyhf_api.skip(f"{device}: {reason}")
            if not self.uses_device:
                pyhf_api.skip(f"{device}: this NextStat call runs on the CPU only")
        require_default_or_slow(dict(zip(self.param_names, (device, *workload))), self.slow_params)
        # The comparison is with pyhf measured in the same run: where pyhf cannot run, skip.
        pyhf_api.import_pyhf()
        self.nextstat = import_nextstat()
        if device == "gpu" and not self.nextstat.has_cuda():
            pyhf_api.skip("gpu: this NextStat build has no CUDA support (or sees no GPU)")
        self.device = "cuda" if device == "gpu" else "cpu"
        self.load(*workload)

    def load(self, likelihood):
        try:
            spec = likelihoods.load(likelihood)
        except likelihoods.DataError as exc:
            pyhf_api.skip(str(exc))
        self.reference = spec.reference
        self.poi = spec.reference.get("poi", 1.0)
        self.workspace_json = json.dumps(pyhf_api.apply_patch(spec.background, spec.signal_patch))
        self.model = self.nextstat.from_pyhf(self.workspace_json)
        self.init = self.model.suggested_init()

    def timed(self):
        result = self.run()
        self.check(result)
        return result

    def run(self):
        raise NotImplementedError

    def check(self, result) -> None:
        """Raise checks.WrongAnswer where the result disagrees with pyhf's reference."""


def _compare(what, got, expected, tolerance, relative=False):
    checks.compare(f"NextStat {what}", got, expected, tolerance, relative)


class ModelBuild(NextStatBenchmark):
    """Model from the patched workspace JSON (pyhf's ModelBuild also applies the patch)."""

    def run(self):
        return self.nextstat.from_pyhf(self.workspace_json)

    def check(self, model):
        got = model.nll(model.suggested_init())
        _compare("NLL", got, _nll_reference(self.reference), TOLERANCES["nll"], True)

    def time_model_build(self, *params):
        self.timed()


class Logpdf(NextStatBenchmark):
    """The NLL (pyhf: -logpdf) at the suggested initial parameters."""

    def run(self):
        return self.model.nll(self.init)

    def check(self, nll):
        _compare("NLL", nll, _nll_reference(self.reference), TOLERANCES["nll"], True)

    def time_logpdf(self, *params):
        self.timed()


class LogpdfGradient(NextStatBenchmark):
    """The NLL's analytic gradient at the suggested initial parameters."""

    def run(self):
        return self.model.grad_nll(self.init)

    def check(self, gradient):
        norm = math.sqrt(math.fsum(x * x for x in gradient))
        expected = self.reference["logpdf_grad_norm"]
        _compare("|gradient|", norm, expected, TOLERANCES["gradient"], True)

    def time_logpdf_gradient(self, *params):
        self.timed()


class MLEFit(NextStatBenchmark):
    uses_device = True

    def run(self):
        return self.nextstat.fit(self.model, device=self.device)

    def check(self, fit):
        expected = self.reference["fit_twice_nll"]
        _compare("-2 ln L at the best fit", fit.twice_nll, expected, TOLERANCES["twice_nll"])

    def time_mle_fit(self, *params):
        self.timed()


class Hypotest(Slow, NextStatBenchmark):
    """Observed asymptotic CLs (qtilde) at the reference's mu."""

    def run(self):
        return self.nextstat.hypotest(self.poi, self.model)

    def check(self, cls_obs):
        _compare("CLs_obs", cls_obs, self.reference["cls_obs"], TOLERANCES["cls"])

    def time_hypotest(self, *params):
        self.timed()


class UpperLimit(Slow, NextStatBenchmark):
    """Observed and expected upper limits from the pyhf benchmarks' 9-point scan."""

    params = [DEVICES, ["sbottom-RegionA"]]

    def run(self):
        return self.nextstat.upper_limits(self.model, UPPER_LIMIT_SCAN)

    def check(self, limits):
        observed, expected = limits
        tolerance = TOLERANCES["mu"]
        _compare("observed upper limit", observed, self.reference["upper_limit_obs"], tolerance)
        for got, ref in zip(expected, self.reference["upper_limit_exp"], strict=True):
            _compare("expected upper limit", got, ref, tolerance)

    def time_upper_limit(self, *params):
        self.timed()


class ToyHypotest(Slow, NextStatBenchmark):
    """Toy-based CLs at mu = 1 on pyhf's one-bin benchmark model: 100 toys, fixed seed.

    NextStat 0.10.1's toy CLs converge to ~0.40 on this model where pyhf's (and the asymptotic
    formulae) give ~0.26-0.28: the check fails, so asv records a failure, not a time, and
    ``track_toy_cls_obs_difference`` shows the gap."""

    param_names = ["device", "n_bins"]
    params = [DEVICES, [1]]

    def load(self, n_bins):
        self.reference = likelihoods.synthetic_reference("uncorrelated", n_bins)
        workspace = synthetic.uncorrelated_workspace(n_bins)
        self.model = self.nextstat.from_pyhf(json.dumps(workspace))

    def run(self):
        return self.nextstat.hypotest_toys(1.0, self.model, n_toys=TOYS, seed=TOYS_SEED)

    def check(self, cls_obs):
        expected = self.reference["cls_obs"]
        _compare("toy CLs_obs", cls_obs, expected, checks.TOYS_CLS_TOLERANCE)

    def time_toy_hypotest(self, *params):
        self.timed()

    def track_toy_cls_obs_difference(self, *params):
        return self.run() - self.reference["cls_obs"]

    track_toy_cls_obs_difference.unit = "NextStat - pyhf"


class _GridPoints:
    """The grid subset of bench_scan.GridScan (every patch with PYHF_BENCHMARKS_SLOW=1)."""

    full_grid_when_slow = True

    def load(self, likelihood):
        try:
            full = self.full_grid_when_slow and slow_enabled()
            points = likelihoods.grid_points(likelihood, full=full)
            background = likelihoods.load(likelihood).background
        except likelihoods.DataError as exc:
            pyhf_api.skip(str(exc))
        self.points = [
            (self.nextstat.from_pyhf(json.dumps(pyhf_api.apply_patch(background, patch))), ref)
            for _, patch, ref in points
        ]
        self.next_point = 0


class GridScan(Slow, _GridPoints, NextStatBenchmark):
    """Observed CLs per signal point of the grid subset; the median is the time per point.

    On sbottom RegionA NextStat 0.10.1 stops some free fits above pyhf's minimum (CLs off by
    2e-3 to 4e-3) and fails on one point (Asimov fit does not converge): a failure, not a time;
    ``GridParity`` counts them."""

    repeat = (3, 6, 60.0)

    def run(self):
        self.model, self.reference = self.points[self.next_point]
        self.next_point = (self.next_point + 1) % len(self.points)
        return self.nextstat.hypotest(1.0, self.model)

    def check(self, cls_obs):
        if self.reference is None:
            if not 0.0 <= cls_obs <= 1.0:
                raise checks.WrongAnswer(f"NextStat CLs_obs = {cls_obs}, outside [0, 1]")
            return
        _compare("CLs_obs", cls_obs, self.reference["cls_obs"], TOLERANCES["cls"])

    def time_cls_per_signal_point(self, *params):
        self.timed()


class GridParity(Slow, _GridPoints, NextStatBenchmark):
    """NextStat against pyhf on every point of the grid subset (cpu; not timed)."""

    params = [["cpu"], FIRST_LIKELIHOODS]
    slow_params = [{"likelihood": ("1Lbb",)}]
    full_grid_when_slow = False  # only the subset has pyhf references

    def differences(self) -> list[float | None]:
        """NextStat minus pyhf CLs_obs per point; None where NextStat raised an error."""
        found = []
        for model, reference in self.points:
            try:
                found.append(self.nextstat.hypotest(1.0, model) - reference["cls_obs"])
            except (ValueError, RuntimeError):
                found.append(None)
        return found

    def track_max_cls_obs_difference(self, *params):
        return max(abs(d) for d in self.differences() if d is not None)

    track_max_cls_obs_difference.unit = "NextStat - pyhf"

    def track_failed_points(self, *params):
        return float(sum(d is None for d in self.differences()))

    track_failed_points.unit = "signal points"


class Parity(Slow, NextStatBenchmark):
    """NextStat minus pyhf (numpy, 64b reference) on every published likelihood: a change of
    either implementation's physics shows on the dashboard. Not timed."""

    params = [["cpu"], ALL_LIKELIHOODS]
    slow_params = [{"likelihood": tuple(set(ALL_LIKELIHOODS) - set(FIRST_LIKELIHOODS))}]

    def track_nll_relative_difference(self, *params):
        expected = _nll_reference(self.reference)
        return (self.model.nll(self.init) - expected) / abs(expected)

    def track_fit_poi_difference(self, *params):
        fit = self.nextstat.fit(self.model)
        return fit.bestfit[self.model.poi_index()] - self.reference["fit_poi"]

    def track_fit_twice_nll_difference(self, *params):
        return self.nextstat.fit(self.model).twice_nll - self.reference["fit_twice_nll"]

    def track_cls_obs_difference(self, *params):
        return self.nextstat.hypotest(self.poi, self.model) - self.reference["cls_obs"]

    def track_cls_exp_median_difference(self, *params):
        return self.expected_cls()[2] - self.reference["cls_exp"][2]

    def expected_cls(self) -> list[float]:
        """The five expected CLs (-2σ ... +2σ, pyhf's order) at the reference's mu."""
        curve = self.nextstat.cls_curve(self.model, [self.poi, self.poi])
        return [band[0] for band in curve["cls_exp"]]


for _method in (
    Parity.track_nll_relative_difference,
    Parity.track_fit_poi_difference,
    Parity.track_fit_twice_nll_difference,
    Parity.track_cls_obs_difference,
    Parity.track_cls_exp_median_difference,
):
    _method.unit = "NextStat - pyhf"
