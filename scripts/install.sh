#!/usr/bin/env bash
# Set up xlat in ./.venv from this checkout: Debian packages first (installed when run as root,
# otherwise the missing ones are named), then the Python package and its dependencies.
#
#   scripts/install.sh          xlat and what it needs
#   scripts/install.sh --test   the same plus the test tools (pytest, lxml) and Ray (the
#                               --cluster tests)
#
# PYTHON=python3.12 scripts/install.sh picks another interpreter (>= 3.10).
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
case "${1:-}" in
  "") ;;
  --test) extras="[test,cluster]" ;;
  *) echo "usage: scripts/install.sh [--test]" >&2; exit 2 ;;
esac

python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null 2>&1; then
  echo "install.sh: $python not found; install Python >= 3.10 (Debian: apt-get install python3 python3-venv)" >&2
  exit 1
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
  echo "install.sh: xlat needs Python >= 3.10, $python is $("$python" -V 2>&1)" >&2
  exit 1
fi

# Debian packages: what xlat uses from the system, one per line in scripts/debian-packages.txt.
packages=()
lists=(scripts/debian-packages.txt)
[[ -n "$extras" ]] && lists+=(scripts/debian-packages-test.txt)
for list in "${lists[@]}"; do
  while read -r line; do
    line=${line%%#*}
    [[ -n "${line// }" ]] && packages+=(${line})
  done < "$list"
done
if ! "$python" -c 'import ensurepip' >/dev/null 2>&1; then
  packages+=(python3-venv)
fi
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "install.sh: installing Debian packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "install.sh: missing Debian packages: ${missing[*]}" >&2
    echo "install.sh: run  sudo apt-get install ${missing[*]}  for everything to work" >&2
  fi
fi

[[ -x .venv/bin/python ]] || "$python" -m venv .venv
# (this workplace's pip configuration warns about local mirrors it lacks: not ours to show)
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade ".$extras" \
  2> >(grep -v "^WARNING: Location 'file:" >&2)
# argostranslate without stanza/spacy/torch (see pyproject.toml): its package module is all xlat uses.
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps "argostranslate>=1.9,<2" \
  2> >(grep -v "^WARNING: Location 'file:" >&2)
.venv/bin/xlat --version >/dev/null
echo "install.sh: xlat installed in .venv ($(.venv/bin/xlat --version))" >&2
