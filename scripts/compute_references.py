"""Recompute the reference CLs of every likelihood with pyhf's numpy backend at 64b.

    python scripts/compute_references.py          # print them
    python scripts/compute_references.py --write  # and record them in data/manifest.json

The benchmarks' tests compare every backend's result with these numbers; a published value
("published" in the manifest) is checked against them here, so a reference that drifted from
the literature cannot be recorded.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._support import devices, likelihoods, pyhf_api  # noqa: E402

PUBLISHED_RTOL = 2e-5  # pyhf's regression tests use rel=1e-5 .. 1.5e-5


def compute(name: str) -> dict:
    spec = likelihoods.load(name)
    ws = pyhf_api.workspace(spec.background)
    model, data = pyhf_api.build_model(ws, spec.signal_patch)
    cls_obs, cls_exp = pyhf_api.cls_values(pyhf_api.hypotest(model, data))
    logpdf = pyhf_api.logpdf(model, pyhf_api.init_pars(model), data)
    _, twice_nll = pyhf_api.mle_fit(model, data)
    return {
        "poi": 1.0,
        "test_stat": "qtilde",
        "cls_obs": round(cls_obs, 10),
        "cls_exp": [round(value, 10) for value in cls_exp],
        "logpdf_init": pyhf_api.as_floats(logpdf)[0],
        "fit_twice_nll": round(pyhf_api.as_floats(twice_nll)[0], 8),
        "computed_with": f"pyhf {pyhf_api.import_pyhf().__version__}, numpy, 64b",
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    devices.activate("numpy", "cpu", "64b")
    manifest = json.loads(likelihoods.MANIFEST_PATH.read_text(encoding="utf-8"))
    status = 0
    for name, entry in manifest["likelihoods"].items():
        reference = compute(name)
        published = entry.get("published", {}).get("cls_obs")
        agrees = published is None or abs(reference["cls_obs"] / published - 1) < PUBLISHED_RTOL
        status |= not agrees
        print(f"{name:18s} CLs_obs {reference['cls_obs']:.7f} published {published} ok={agrees}")
        entry["reference"] = reference
    if args.write and status == 0:
        text = json.dumps(manifest, indent=2) + "\n"
        likelihoods.MANIFEST_PATH.write_text(text, encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
