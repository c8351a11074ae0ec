# govsim -- two commands do all the set-up on a fresh machine:
#   make run    set up, then run the main job (a regime comparison with plots)
#   make test   set up, then run the tests
# Also: make bench (performance benchmarks), make docs (regenerate the generated docs), make clean.
# The virtual environment (.venv) uses a Python >= 3.12 found by scripts/find-python (Mesa 3.5 needs it).

SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
GOVSIM := $(VENV)/bin/govsim
EXTRAS ?= test
STAMP := $(VENV)/.installed-$(EXTRAS)

.PHONY: install run test bench docs clean

$(STAMP): pyproject.toml
	@set -e; \
	if [ ! -x $(PY) ]; then \
	  python=$$(scripts/find-python); \
	  echo "creating $(VENV) with $$python"; \
	  $$python -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[$(EXTRAS)]'
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

run: $(STAMP)
	$(GOVSIM) compare scenarios/beijing.yaml --regimes whistle,hotline,proactive --runs 20 --scale 0.01 --out results/cmp

test: $(STAMP)
	$(PY) -m pytest

docs: $(STAMP)
	$(PY) scripts/make_docs.py

clean:
	rm -rf $(VENV) results .pytest_cache
