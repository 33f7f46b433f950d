#!/bin/sh
# Re-extract the interface messages into locales/xlat.pot (xlat's sources, babel.cfg) and
# locales/click.pot (the click installed beside xlat: "Usage:", its error lines), merge both
# into every catalog locales/<lang>/LC_MESSAGES/{xlat,click}.po, and compile the .mo files.
# Run it after marking new strings; then translate the new (empty or fuzzy) entries and run it
# again to compile. A new language: pybabel init -D xlat -i locales/xlat.pot -d locales -l LANG
# (and the same with -D click), then this script.
#   PYTHON=.venv/bin/python scripts/update-catalogs.sh
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}
case $PYTHON in */*) PYTHON=$(cd "$(dirname "$PYTHON")" && pwd)/$(basename "$PYTHON") ;; esac  # absolute: used elsewhere too
export PYTHONPATH="$ROOT/src${PYTHONPATH:+:$PYTHONPATH}"
pybabel() { "$PYTHON" -c 'import sys; from babel.messages.frontend import main; sys.argv[0] = "pybabel"; main()' "$@"; }

VERSION=$("$PYTHON" -c 'import xlat; print(xlat.__version__)')
pybabel extract -F babel.cfg -o locales/xlat.pot --project=xlat --version="$VERSION" \
    --copyright-holder="xlat contributors" -c TRANSLATORS: --sort-by-file src
CLICK_DIR=$("$PYTHON" -c 'import click, os; print(os.path.dirname(click.__file__))')
CLICK_VERSION=$("$PYTHON" -c 'from importlib.metadata import version; print(version("click"))')
(cd "$(dirname "$CLICK_DIR")" && pybabel extract -o "$ROOT/locales/click.pot" --project=click \
    --version="$CLICK_VERSION" --sort-by-file click)
for domain in xlat click; do
    pybabel update -D "$domain" -i "locales/$domain.pot" -d locales --ignore-obsolete
    pybabel compile -D "$domain" -d locales --statistics
done
