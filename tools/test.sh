#!/usr/bin/env bash
# The test command. Sets up .venv if needed, makes sure the system tools the tests read
# outputs back with are installed (tools/system-packages.txt: installs them with apt-get
# when it can, names them when it cannot), then runs every test: pytest, with ruff and mypy
# as tests of their own. Arguments go to pytest, e.g. the fast lane:
#   bash tools/test.sh -m "not office and not browser and not slow"
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/roi-in-a-box ] || bash tools/setup.sh

missing_cmds=(); missing_pkgs=()
while IFS=$'\t' read -r cmd pkgs || [ -n "$cmd" ]; do
  case "$cmd" in ''|'#'*) continue ;; esac
  if [ "${cmd#/}" != "$cmd" ]; then [ -e "$cmd" ]; else command -v "$cmd" >/dev/null 2>&1; fi \
    || { missing_cmds+=("$cmd"); missing_pkgs+=($pkgs); }
done < tools/system-packages.txt

if [ ${#missing_cmds[@]} -gt 0 ]; then
  pkgs=$(printf '%s\n' "${missing_pkgs[@]}" | sort -u | tr '\n' ' ')
  echo "system tools missing: ${missing_cmds[*]} (Debian packages: $pkgs)" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo -n"
  if command -v apt-get >/dev/null 2>&1 && { [ -z "$sudo" ] || sudo -n true 2>/dev/null; }; then
    echo "installing them with apt-get ..." >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
  elif [ "${ROI_TESTS_ALLOW_MISSING:-}" = 1 ]; then
    echo "ROI_TESTS_ALLOW_MISSING=1: the tests that need them are skipped" >&2
  else
    echo "install them (sudo apt-get install $pkgs) or set ROI_TESTS_ALLOW_MISSING=1 to skip the tests that need them" >&2
    exit 1
  fi
fi
exec .venv/bin/python -m pytest "$@"
