# LIS Evidence Suite. `make` alone lists the targets.
# Two commands do all the set-up on a fresh machine: `make reports` and `make test`;
# both create the virtual environment (.venv) they need.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The real published files (read there, never copied) and where their pack is checked.
SHARED_PUBLIC := ../shared/data/public
SHARED_ELS := ../shared/data/els
REAL_REPORTS := .cache/reports-real
# Keep matplotlib, IPython and Jupyter state inside the project (no font-cache rebuilds
# in the user's home, no stray kernels).
export MPLCONFIGDIR := $(CURDIR)/.cache/matplotlib
export IPYTHONDIR := $(CURDIR)/.cache/ipython
export JUPYTER_CONFIG_DIR := $(CURDIR)/.cache/jupyter
export MPLBACKEND := Agg
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.DEFAULT_GOAL := help
.PHONY: help venv reports test test-fast test-browser lab lint format docs bench clean-outputs demo ingest fetch

help: ## list the targets
	@echo "LIS Evidence Suite - make targets:"
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[1m%-14s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,cluster]'
	@touch $(STAMP)

venv: $(STAMP) ## create .venv and install the package with its dev tools and the Dask extra (redone when pyproject.toml changes)

reports: $(STAMP) ## build the HTML board pack in reports/ (demonstrator data when data/raw is empty)
	$(BIN)/lis run

test: $(STAMP) ## run every test, notebooks and the browser check included
	$(BIN)/python -m pytest -m "not browser" -q
	$(MAKE) --no-print-directory test-browser

test-fast: $(STAMP) ## the quick tests only (no notebooks, no browser)
	$(BIN)/python -m pytest -m "not slow and not browser" -q

test-browser: $(STAMP) ## build the demonstrator pack and the pack on ../shared's published files (public, and els when present), then open every page in headless Chromium with axe-core (installs both if missing)
	$(BIN)/lis run
	$(BIN)/python tests/browser/browser_check.py reports
	@if [ -d $(SHARED_PUBLIC) ]; then \
	  $(BIN)/lis run --raw $(SHARED_PUBLIC) $$([ -d $(SHARED_ELS) ] && echo --raw $(SHARED_ELS)) --reports $(REAL_REPORTS) && \
	  $(BIN)/python tests/browser/browser_check.py $(REAL_REPORTS); \
	elif [ -n "$$CI" ]; then echo "test-browser: $(SHARED_PUBLIC) is missing (CI needs ../shared beside the clone)" >&2; exit 1; \
	else echo "test-browser: $(SHARED_PUBLIC) not found; the real pack is not checked"; fi
	$(BIN)/python -m pytest -m browser -q

lab: $(STAMP) ## JupyterLab with a kernel that imports the package
	$(BIN)/python -m ipykernel install --sys-prefix --name lis --display-name "LIS Evidence Suite (.venv)" >/dev/null
	$(BIN)/jupyter lab --notebook-dir=.

lint: $(STAMP) ## ruff (lint and format check) and mypy on the package
	$(BIN)/ruff check lis_analysis tests benchmarks notebooks
	$(BIN)/ruff format --check lis_analysis tests benchmarks notebooks
	$(BIN)/mypy lis_analysis

format: $(STAMP) ## apply ruff's formatting and safe fixes
	$(BIN)/ruff check --fix lis_analysis tests benchmarks notebooks
	$(BIN)/ruff format lis_analysis tests benchmarks notebooks

docs: $(STAMP) ## write docs/assumptions.md from the caveats log (lis_analysis/data/caveats.yaml)
	$(BIN)/python -c "import pathlib; from lis_analysis.analyses.declared import caveats_markdown; pathlib.Path('docs/assumptions.md').write_text(caveats_markdown(), encoding='utf-8')"

bench: $(STAMP) ## run the benchmarks and write their figures to benchmarks/results/
	$(BIN)/python benchmarks/run.py

demo: $(STAMP) ## write the synthetic demonstrator files to data/demo
	$(BIN)/lis demo

ingest: $(STAMP) ## parse and store data/raw (or the demonstrator)
	$(BIN)/lis ingest

fetch: $(STAMP) ## download the published files into data/raw
	$(BIN)/lis fetch

clean-outputs: ## delete processed data and reports (they are rebuilt from data/raw)
	rm -rf data/processed/* reports/* data/demo
	@touch data/processed/.gitkeep
