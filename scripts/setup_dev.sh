#!/usr/bin/env bash
# Set up the harness environment in .venv: asv, pyhf, the four backends (CPU builds), the
# published likelihoods (copied from ../shared/data when it is there, else from HEPData), and
# an asv machine entry. Safe to run again: it only adds what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r requirements-dev.txt
.venv/bin/python -m pip install --quiet --no-deps tf-keras==2.21.0

mirror=${PYHF_BENCHMARKS_MIRROR:-../shared/data}
if [ -d "$mirror" ]; then
    .venv/bin/python scripts/fetch_data.py --from "$mirror"
else
    .venv/bin/python scripts/fetch_data.py
fi
.venv/bin/python -m asv machine --yes >/dev/null
