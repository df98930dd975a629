"""Synthetic models for scaling studies, built the same way on every backend and commit.

- ``uncorrelated``: pyhf's own benchmark model (``tests/benchmarks/test_benchmark.py``): one
  channel, per bin 30 signal, 100 background with an uncorrelated 10 % uncertainty, 120 observed.
- ``shared_modifiers``: ten channels sharing five normalisation and two shape systematics, as in
  a real combination, so the cost of interpolation grows with the bins, not the parameters.
"""

from __future__ import annotations

from . import pyhf_api

N_CHANNELS = 10
N_NORMSYS = 5
N_HISTOSYS = 2


def uncorrelated_workspace(n_bins: int) -> dict:
    """``uncorrelated`` as a pyhf workspace JSON (for tools that read workspaces, not models):
    the spec of ``pyhf.simplemodels.uncorrelated_background`` with its observations."""
    samples = [
        {
            "name": "signal",
            "data": [30.0] * n_bins,
            "modifiers": [{"name": "mu", "type": "normfactor", "data": None}],
        },
        {
            "name": "background",
            "data": [100.0] * n_bins,
            "modifiers": [
                {"name": "uncorr_bkguncrt", "type": "shapesys", "data": [10.0] * n_bins}
            ],
        },
    ]
    return {
        "channels": [{"name": "singlechannel", "samples": samples}],
        "observations": [{"name": "singlechannel", "data": [120.0] * n_bins}],
        "measurements": [{"name": "measurement", "config": {"poi": "mu", "parameters": []}}],
        "version": "1.0.0",
    }


def uncorrelated(n_bins: int):
    model = pyhf_api.simple_model([30.0] * n_bins, [100.0] * n_bins, [10.0] * n_bins)
    data = pyhf_api.tensorlib().astensor([120.0] * n_bins + model.config.auxdata)
    return model, data


def shared_modifiers_spec(n_bins: int) -> dict:
    per_channel = max(1, n_bins // N_CHANNELS)
    channels = []
    for index in range(min(N_CHANNELS, n_bins)):
        ramp = [1.0 + 0.1 * ((index + b) % 7) for b in range(per_channel)]
        background = [50.0 * r for r in ramp]
        modifiers = [
            {"name": f"norm_{k}", "type": "normsys", "data": {"hi": 1.05 + 0.01 * k, "lo": 0.95}}
            for k in range(N_NORMSYS)
        ]
        modifiers += [
            {
                "name": f"shape_{k}",
                "type": "histosys",
                "data": {
                    "hi_data": [b * (1.02 + 0.01 * k) for b in background],
                    "lo_data": [b * (0.98 - 0.01 * k) for b in background],
                },
            }
            for k in range(N_HISTOSYS)
        ]
        channels.append(
            {
                "name": f"channel_{index}",
                "samples": [
                    {
                        "name": "signal",
                        "data": [5.0 * r for r in ramp],
                        "modifiers": [{"name": "mu", "type": "normfactor", "data": None}],
                    },
                    {"name": "background", "data": background, "modifiers": modifiers},
                ],
            }
        )
    return {"channels": channels}


def shared_modifiers(n_bins: int):
    spec = shared_modifiers_spec(n_bins)
    model = pyhf_api.model_from_spec(spec)
    observed = [
        55.0 * (1.0 + 0.1 * ((c + b) % 7))
        for c, ch in enumerate(spec["channels"])
        for b in range(len(ch["samples"][0]["data"]))
    ]
    data = pyhf_api.tensorlib().astensor(observed + model.config.auxdata)
    return model, data


FAMILIES = {"uncorrelated": uncorrelated, "shared_modifiers": shared_modifiers}
