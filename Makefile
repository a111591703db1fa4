# lgresearch — two commands: `make reproduce` (every report) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Third-party data: LGRESEARCH_EXTERNAL_DIR if set, else ../shared/data/external when it exists,
# else the package default (data/raw/external/).
SHARED_EXTERNAL := $(abspath ../shared/data/external)
ifeq ($(origin LGRESEARCH_EXTERNAL_DIR), undefined)
ifneq ($(wildcard $(SHARED_EXTERNAL)),)
export LGRESEARCH_EXTERNAL_DIR := $(SHARED_EXTERNAL)
endif
endif
export MPLBACKEND := Agg
export PYTHONHASHSEED := 0

.PHONY: reproduce test bootstrap processed sync benchmark clean

$(STAMP): pyproject.toml requirements-lock.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-lock.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

bootstrap: $(STAMP)

processed: $(STAMP)
	$(BIN)/lgresearch processed

reproduce: $(STAMP)
	$(BIN)/lgresearch reproduce

test: $(STAMP)
	$(BIN)/python -m pytest -q tests; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 1; fi; exit $$rc

sync: $(STAMP)
	$(BIN)/jupytext --sync notebooks/*.py

benchmark: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --all-extras --python-version 3.11 -o requirements-lock.txt

clean:
	rm -rf reports data/processed/*.parquet data/processed/cache
