# lgresearch — two commands: `make reproduce` (every report) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Third-party data: LGRESEARCH_EXTERNAL_DIR if set, else ../shared/data/external when it exists,
# else the package default (data/raw/external/ in the checkout).
SHARED_EXTERNAL := $(abspath ../shared/data/external)
ifeq ($(origin LGRESEARCH_EXTERNAL_DIR), undefined)
ifneq ($(wildcard $(SHARED_EXTERNAL)),)
export LGRESEARCH_EXTERNAL_DIR := $(SHARED_EXTERNAL)
endif
endif
export MPLBACKEND := Agg
export PYTHONHASHSEED := 0

# The package writes derived data and caches into the user cache folder by default (LGRESEARCH_CACHE_DIR). The
# checkout's own outputs stay in the checkout: `make reproduce` and `make processed` write data/processed/ (caches
# in data/processed/cache/) and reports/ here, unless the variables are already set. `make test` keeps its outputs
# in temporary folders (tests/conftest.py).
reproduce processed site: export LGRESEARCH_PROCESSED_DIR ?= $(CURDIR)/data/processed
reproduce processed site: export LGRESEARCH_REPORTS_DIR ?= $(CURDIR)/reports
reproduce processed site: export LGRESEARCH_CACHE_DIR ?= $(CURDIR)/data/processed/cache

.PHONY: help reproduce test unit lint typecheck bootstrap processed sync benchmark clean site lab

help:
	@echo "make reproduce   rebuild data/processed/ and every report in reports/ (creates .venv when missing)"
	@echo "make test        the whole test suite, notebooks included (what CI runs)"
	@echo "make unit        the tests without the notebooks (fast)"
	@echo "make lint        ruff on the package, tests, benchmarks, notebooks and examples (rules in pyproject.toml)"
	@echo "make typecheck   mypy on the package (lenient config in pyproject.toml)"
	@echo "make benchmark   the speed and memory benchmarks (benchmarks/bench_*.py)"
	@echo "make site        rebuild the report site (re-executes only changed notebooks; FORCE=1 for all)"
	@echo "make lab         JupyterLab on the notebooks with the project kernel"
	@echo "make processed   rebuild data/processed/ only"
	@echo "make sync        re-pair notebooks/*.ipynb with their py:percent sources"
	@echo "make lock        regenerate requirements-lock.txt from pyproject.toml"
	@echo "make bootstrap   create .venv and install the locked environment"
	@echo "make compat      the unit suite on pandas 2.2 (maintainers)"
	@echo "make clean       remove reports/ and data/processed/ outputs"
	@echo "Settings (environment variables): LGRESEARCH_EXTERNAL_DIR, LGRESEARCH_CACHE_DIR,"
	@echo "  LGRESEARCH_PROCESSED_DIR, LGRESEARCH_REPORTS_DIR, LGRESEARCH_OFFICIAL_DIR (see README, Settings)"

$(STAMP): pyproject.toml requirements-lock.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-lock.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

bootstrap: $(STAMP)

processed: $(STAMP)
	$(BIN)/lgresearch processed

# FORCE=1 re-executes every notebook (and rebuilds data/processed); otherwise only what changed runs.
FORCE_FLAG := $(if $(filter-out 0,$(FORCE)),--force,)

reproduce: $(STAMP)
	$(BIN)/lgresearch reproduce $(FORCE_FLAG)

# the site only (notebooks re-execute only when they changed)
site: $(STAMP)
	$(BIN)/lgresearch report $(FORCE_FLAG)

# JupyterLab on the notebooks: py:percent files open as notebooks (jupytext) on the project's python3 kernel
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings
lab: $(STAMP)
	@mkdir -p $(LAB_SETTINGS)
	@printf '%s\n' '{"@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"python": "Jupytext Notebook"}}}' > $(LAB_SETTINGS)/overrides.json
	cd notebooks && ../$(BIN)/jupyter lab --ServerApp.root_dir=. $(if $(filter 0,$(shell id -u)),--allow-root,) $(LAB_ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest -q tests; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 1; fi; exit $$rc

unit: $(STAMP)
	$(BIN)/python -m pytest -q tests --ignore=tests/test_notebooks.py -m "not slow and not notebooks"

lint: $(STAMP)
	$(BIN)/ruff check lgresearch tests benchmarks notebooks examples

typecheck: $(STAMP)
	$(BIN)/mypy

sync: $(STAMP)
	$(BIN)/jupytext --sync notebooks/*.py

benchmark: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --all-extras --python-version 3.11 -o requirements-lock.txt

clean:
	rm -rf reports .reports-build data/processed/*.parquet data/processed/cache data/processed/.build-key

# Maintainers (not run by CI): the unit suite on pandas 2.2, the oldest pandas pyproject allows.
# Same lock with pandas pinned to 2.2.3, in its own venv.
COMPAT_VENV := .venv-pandas22
COMPAT_PANDAS := 2.2.3
.PHONY: compat

$(COMPAT_VENV)/.installed: pyproject.toml requirements-lock.txt
	@test -x $(COMPAT_VENV)/bin/python || $(PYTHON) -m venv $(COMPAT_VENV)
	$(COMPAT_VENV)/bin/python -m pip install --quiet --upgrade pip
	lock=$$(mktemp) && sed 's/^pandas==.*/pandas==$(COMPAT_PANDAS)/' requirements-lock.txt > $$lock && \
	  $(COMPAT_VENV)/bin/python -m pip install --quiet -r $$lock; rc=$$?; rm -f $$lock; exit $$rc
	$(COMPAT_VENV)/bin/python -m pip install --quiet --no-deps -e .
	@touch $@

compat: $(COMPAT_VENV)/.installed
	$(COMPAT_VENV)/bin/python -c "import pandas; print('pandas', pandas.__version__)"
	$(COMPAT_VENV)/bin/python -m pytest -q tests --ignore=tests/test_notebooks.py -p no:cacheprovider
