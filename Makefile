# govsim -- two commands do all the set-up on a fresh machine:
#   make run    set up, then run the main job (a regime comparison with plots)
#   make test   set up, then run the tests
# Also: make bench (performance benchmarks), make docs (regenerate the generated docs), make clean.
# The browser test needs Debian's chromium (apt-get install chromium; .ci/run installs it) and skips without it.
# The virtual environment (.venv) uses the newest supported Python (3.12 or 3.13) found by scripts/find-python, or
# the one named by PYTHON=...; VENV=... names another environment (.ci/run tests 3.12 in .venv-3.12).

SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
GOVSIM := $(VENV)/bin/govsim
EXTRAS ?= test
STAMP := $(VENV)/.installed-$(EXTRAS)

.PHONY: install assets run test bench docs clean

$(STAMP): pyproject.toml
	@set -e; \
	if [ ! -x $(PY) ]; then \
	  python=$$(PYTHON="$(PYTHON)" scripts/find-python); \
	  echo "creating $(VENV) with $$python"; \
	  $$python -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[$(EXTRAS)]'
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP) assets

# The browser app's page scripts (solara's front end, ~20 MB from the npm registry; sim/viz/assets.py). Quick when
# they are there; if the registry cannot be reached, `govsim viz` tries again when it starts.
assets: $(STAMP)
	@$(PY) -m sim.viz.assets || echo "warning: the browser app's page scripts are not fetched yet; govsim viz will try again when it starts"

run: $(STAMP) assets
	$(GOVSIM) compare scenarios/beijing.yaml --regimes whistle,hotline,proactive --runs 20 --scale 0.01 --out results/cmp

# The test files run in parallel, one worker per core (pytest-xdist); a file's tests stay on one worker, so its
# module-scoped fixtures (shared runs) are computed once.
test: $(STAMP) assets
	$(PY) -m pytest -n auto --dist loadfile

bench: $(STAMP)
	$(PY) benchmarks/run.py

docs: $(STAMP)
	$(PY) scripts/make_docs.py

clean:
	rm -rf $(VENV) .venv-3.* results .pytest_cache
