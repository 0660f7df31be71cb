# Two commands set everything up on a fresh machine:
#   make site   builds the bundled digest into site/
#   make test   runs the linters and the whole test suite (installs Chromium if it is missing)
#   make fast   the quick lane while you work: every test but the browser and slow ones

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test fast lint format serve check browser bench audit clean

site: $(STAMP)
	$(BIN)/paperdigest build

test: $(STAMP) browser lint
	$(BIN)/pytest

fast: $(STAMP)
	$(BIN)/pytest -m "not browser and not slow" -q -n 2

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix src tests benchmarks scripts
	$(BIN)/ruff format src tests benchmarks scripts

serve: $(STAMP)
	$(BIN)/paperdigest serve

check: site
	$(BIN)/paperdigest check

SIZE ?= medium
bench: $(STAMP)
	@scripts/install-hugo
	$(BIN)/python benchmarks/run.py $(SIZE)

browser:
	@scripts/install-chromium

# Lighthouse, axe, the Nu HTML Checker, layout shift and overflow on every kind of page of
# the bundled site (Lighthouse and the checker from npm; the checker needs Java).
audit: site browser
	npm ci --prefix scripts/audit --no-audit --no-fund
	$(BIN)/python scripts/audit.py site

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) site .pytest_cache .hypothesis .ruff_cache
