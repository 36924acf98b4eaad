#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder image: Python, then the grader bundled
# beside this script (taller-grader @VERSION@, installed from its wheel, dependencies from PyPI).
set -euo pipefail

SOURCE="${AUTOGRADER_SOURCE:-/autograder/source}"
BASE_PYTHON="${GRADER_BASE_PYTHON:-python3}"

if [ "${GRADER_SKIP_APT:-0}" != "1" ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends python3 python3-venv python3-pip
fi

# A virtual environment of its own: newer base images refuse pip installs into the system Python.
"$BASE_PYTHON" -m venv "$SOURCE/venv"
"$SOURCE/venv/bin/python" -m pip install --disable-pip-version-check --upgrade pip
"$SOURCE/venv/bin/python" -m pip install --disable-pip-version-check "$SOURCE/@WHEEL@"

chmod 755 "$SOURCE/run_autograder"
if [ -f "$SOURCE/@SECRET_FILE@" ]; then
    chmod 600 "$SOURCE/@SECRET_FILE@"
fi

# Fail the build now, rather than at the first submission, if the grader or its rubrics cannot load.
"$SOURCE/venv/bin/python" -m grader.cli rubrics @RUBRICS@
