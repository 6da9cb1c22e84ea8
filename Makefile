# newscrawl: the two quick-start commands (`make demo`, `make test`) and friends.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint golden bench bench-quick clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The pinned requirements, then the project itself (editable: the `newscrawl` command,
# `import newscrawl` and `import replica` from anywhere, no sys.path patching).
$(VENV)/.runtime-installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@ $(VENV)/.runtime-installed

## demo: crawl the bundled offline replica with the real settings and pipelines
demo: $(VENV)/.runtime-installed
	$(BIN)/python -m replica.demo

## test: the whole test suite
test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest

## lint: ruff (lint + format) and mypy
lint: $(VENV)/.dev-installed
	$(BIN)/ruff check newscrawl replica tests scripts bench
	$(BIN)/ruff format --check newscrawl replica tests scripts bench
	$(BIN)/mypy

$(VENV)/.bench-installed: requirements.txt requirements-bench.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

## bench: every benchmark (under 10 minutes), rewriting BENCHMARKS.md
bench: $(VENV)/.bench-installed
	$(BIN)/python -m bench

## bench-quick: reduced benchmark sizes (under 2 minutes)
bench-quick: $(VENV)/.bench-installed
	$(BIN)/python -m bench --quick --out /tmp/BENCHMARKS.quick.md

## golden: regenerate tests/golden/*.json (review the diff before committing)
golden: $(VENV)/.dev-installed
	$(BIN)/python scripts/regen_golden.py

clean:
	rm -rf $(VENV) demo .pytest_cache .mypy_cache .ruff_cache *.egg-info
