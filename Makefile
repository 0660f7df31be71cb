# Two commands set everything up on a fresh machine:
#   make site   builds the bundled digest into site/
#   make test   runs the linters and the whole test suite (installs Chromium if it is missing)
#   make fast   the quick lane while you work: every test but the browser and slow ones

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test fast lint format serve check browser bench clean

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
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

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

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) site .pytest_cache .hypothesis .ruff_cache
