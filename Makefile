# Two entry points: `make demo` grades the bundled submissions, `make test` runs every check.
# Both create the virtual environment they need on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The demo's hidden cases come from this secret; real courses set their own GRADER_SECRET.
DEMO_SECRET ?= demo-secret-not-for-real-courses

.PHONY: setup demo test lint typecheck unit bench clean

$(BIN)/grader: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

setup: $(BIN)/grader

demo: setup
	GRADER_SECRET=$${GRADER_SECRET:-$(DEMO_SECRET)} $(BIN)/grader grade submissions --out reports

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest

test: lint typecheck unit

bench: setup
	$(BIN)/python bench/throughput.py

clean:
	rm -rf $(VENV) reports build *.egg-info
