#!/usr/bin/env bash
# Refresh requirements.lock: the whole dependency tree of the engine and its tests (the
# "test" and "bench" extras of pyproject.toml), with the hash of every file, for every platform, resolved
# anew from PyPI. Commit the result; tools/setup.sh and CI install exactly that.
# Needs uv (pip install uv). Upgrade one package: tools/lock.sh --upgrade-package babel
set -euo pipefail
cd "$(dirname "$0")/.."
uv=${UV:-uv}
printf 'setuptools>=68\n' > .lock-build.in
trap 'rm -f .lock-build.in' EXIT
"$uv" pip compile pyproject.toml .lock-build.in --extra test --extra bench --generate-hashes --universal \
  --python-version 3.11 --no-header --annotation-style line -q -o requirements.lock "$@"
echo "requirements.lock: $(grep -c '^[a-z]' requirements.lock) packages"
