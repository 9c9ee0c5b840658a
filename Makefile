# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO   := $(VENV)/.demo-installed
DEV    := $(VENV)/.dev-installed
# the fast lane: everything but the tests that start servers, browsers, Spark or kill processes
FAST   := not slow and not browser and not crash and not postgres and not spark

.PHONY: demo test check lint types contracts pytest clean bench

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# what the demo needs: Charter and scikit-learn (the demo trains a model)
$(DEMO): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[demo]'
	@touch $(DEMO)

# what the tests and checks need besides: linters, type checker, test tools, Spark, Playwright
$(DEV): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,demo]'
	@touch $(DEV) $(DEMO)

demo: $(DEMO)
	$(BIN)/charter demo

lint: $(DEV)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

types: $(DEV)
	$(BIN)/mypy

contracts: $(DEV)
	$(BIN)/lint-imports

pytest: $(DEV)
	$(BIN)/pytest -n 2

# about two minutes: lint, types, contracts, unit, property and SQLite service tests
check: lint types contracts
	$(BIN)/pytest -n 2 -m "$(FAST)"

# the whole suite, what CI runs
test: lint types contracts pytest

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis src/*.egg-info build

bench: $(DEV)
	$(BIN)/python -m benchmarks.audit_log --out benchmarks/results/audit_log.json
	$(BIN)/python -m benchmarks.validation --out benchmarks/results/validation.json
	$(BIN)/python -m benchmarks.startup --out benchmarks/results/startup.json
	$(BIN)/python -m benchmarks.posture --out benchmarks/results/posture.json
	$(BIN)/python -m benchmarks.ui_pages --out benchmarks/results/ui_pages.json
	$(BIN)/python -m benchmarks.api_load --database sqlite --workers 1
	$(BIN)/python -m benchmarks.api_load --database postgresql --workers 1
	$(BIN)/python -m benchmarks.api_load --database postgresql --workers 2
