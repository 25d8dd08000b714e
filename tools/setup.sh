#!/usr/bin/env bash
# Set up .venv: the locked dependency tree (requirements.lock, every file hash-checked), then
# the engine itself from this checkout. Same versions on every machine, whatever day it is.
# Refresh the lock with tools/lock.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "ROI-in-a-Box needs Python 3.11 or newer" >&2; exit 1; }
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
