"""Recompute every reference value the benchmarks check against, with pyhf's numpy backend at
64b (gradients with jax, the only autodiff a reference may come from).

    python scripts/compute_references.py          # print them and check the published values
    python scripts/compute_references.py --write  # and record them in data/manifest.json

A published value ("published" in the manifest) is checked here, so a reference that drifted
from the literature cannot be recorded.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._support import devices, likelihoods, pyhf_api, synthetic  # noqa: E402
from benchmarks._support.workloads import UPPER_LIMIT_SCAN  # noqa: E402

PUBLISHED_RTOL = 2e-5  # pyhf's regression tests use rel=1e-5 .. 1.5e-5
UPPER_LIMIT_LIKELIHOODS = ["sbottom-RegionA"]
GRID_SIZES = {"sbottom-RegionA": 6, "1Lbb": 3}
SYNTHETIC_BINS = {
    "uncorrelated": [1, 10, 50, 100, 200, 1000, 10000],
    "shared_modifiers": [10, 100, 1000, 10000],
}
HYPOTEST_BINS = [1, 10, 50, 100, 200]


def floats(value) -> list[float]:
    return [round(x, 10) for x in pyhf_api.as_floats(value)]


def cls_reference(model, data, poi: float = 1.0) -> dict:
    cls_obs, cls_exp = pyhf_api.cls_values(pyhf_api.hypotest(model, data, poi))
    return {"cls_obs": round(cls_obs, 10), "cls_exp": [round(x, 10) for x in cls_exp]}


def likelihood_reference(name: str) -> dict:
    spec = likelihoods.load(name)
    model, data = pyhf_api.build_model(pyhf_api.workspace(spec.background), spec.signal_patch)
    pars = pyhf_api.init_pars(model)
    poi = likelihoods.manifest()["likelihoods"][name].get("hypotest_poi", 1.0)
    reference = {"poi": poi, "test_stat": "qtilde", **cls_reference(model, data, poi)}
    reference["logpdf_init"] = pyhf_api.as_floats(pyhf_api.logpdf(model, pars, data))[0]
    reference["expected_data_sum"] = math.fsum(
        pyhf_api.as_floats(pyhf_api.expected_data(model, pars))
    )
    best_fit, twice_nll = pyhf_api.mle_fit(model, data)
    reference["fit_twice_nll"] = floats(twice_nll)[0]
    reference["fit_poi"] = round(floats(best_fit)[model.config.poi_index], 8)
    reference["fixed_poi_fit_twice_nll"] = floats(pyhf_api.fixed_poi_fit(model, data)[1])[0]
    if name in UPPER_LIMIT_LIKELIHOODS:
        observed, expected = pyhf_api.upper_limit(model, data, UPPER_LIMIT_SCAN)
        reference["upper_limit_obs"] = floats(observed)[0]
        reference["upper_limit_exp"] = floats(expected)
    return reference


def gradient_norm(name: str, active) -> float:
    spec = likelihoods.load(name)
    model, data = pyhf_api.build_model(pyhf_api.workspace(spec.background), spec.signal_patch)
    gradient = active.gradient(lambda pars: model.logpdf(pars, data)[0], pyhf_api.init_pars(model))
    return math.sqrt(math.fsum(x * x for x in pyhf_api.as_floats(gradient)))


def grid_reference(name: str, size: int) -> dict:
    signal = likelihoods.manifest()["likelihoods"][name]["signal"]
    root = likelihoods.data_dir()
    with gzip.open(likelihoods.verify_memoized(root, signal["file"])) as stream:
        names = sorted(patch["metadata"]["name"] for patch in json.load(stream)["patches"])
    points = [names[round(i * (len(names) - 1) / (size - 1))] for i in range(size)]
    workspace = pyhf_api.workspace(likelihoods.load(name).background)
    reference = {}
    for point, patch in likelihoods.signal_patches(name, points):
        reference[point] = cls_reference(*pyhf_api.build_model(workspace, patch))
    return {"points": points, "reference": reference}


def synthetic_reference() -> dict:
    result = {}
    for family, bins in SYNTHETIC_BINS.items():
        result[family] = {}
        for n_bins in bins:
            model, data = synthetic.FAMILIES[family](n_bins)
            pars = pyhf_api.init_pars(model)
            entry = {"logpdf_init": pyhf_api.as_floats(pyhf_api.logpdf(model, pars, data))[0]}
            if family == "uncorrelated" and n_bins in HYPOTEST_BINS:
                entry.update(cls_reference(model, data))
            result[family][str(n_bins)] = entry
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    manifest = json.loads(likelihoods.MANIFEST_PATH.read_text(encoding="utf-8"))
    devices.activate("numpy", "cpu", "64b")
    version = pyhf_api.import_pyhf().__version__
    status = 0
    for name, entry in manifest["likelihoods"].items():
        reference = likelihood_reference(name)
        reference["logpdf_grad_norm"] = entry.get("reference", {}).get("logpdf_grad_norm")
        published = entry.get("published", {}).get("cls_obs")
        agrees = published is None or abs(reference["cls_obs"] / published - 1) < PUBLISHED_RTOL
        status |= not agrees
        print(f"{name:18s} CLs_obs {reference['cls_obs']:.7f} published {published} ok={agrees}")
        entry["reference"] = reference
    manifest["grid"] = {name: grid_reference(name, size) for name, size in GRID_SIZES.items()}
    manifest["synthetic"] = synthetic_reference()
    if importlib.util.find_spec("jax") is not None:
        active = devices.activate("jax", "cpu", "64b")
        for name, entry in manifest["likelihoods"].items():
            entry["reference"]["logpdf_grad_norm"] = gradient_norm(name, active)
    manifest["references_computed_with"] = f"pyhf {version}, numpy 64b (gradients: jax 64b)"
    if args.write and status == 0:
        text = json.dumps(manifest, indent=2) + "\n"
        likelihoods.MANIFEST_PATH.write_text(text, encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
