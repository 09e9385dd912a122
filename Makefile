# Every target with a `## comment` shows up in `make help`.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

VENV ?= .venv
PY := $(VENV)/bin/python
# Rewritten whenever the dependencies are installed; older than pyproject.toml means reinstall.
STAMP := $(VENV)/.installed-stamp
PYTHON_BOOTSTRAP ?= $(shell command -v python3.11 2>/dev/null || command -v python3 2>/dev/null)
ADDRESS ?= 127.0.0.1:8000
# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-k goals -x"`.
PYTEST_ARGS ?=

.PHONY: help venv run test test-pg lint format clean

help: ## Show the targets and what they do
	@echo "Usage: make TARGET"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-9s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

venv: $(STAMP) ## Create .venv (python3.11, else python3) and install the project with its test extra

$(STAMP): pyproject.toml
	@if [ ! -x "$(PY)" ]; then \
		if [ -z "$(PYTHON_BOOTSTRAP)" ]; then echo "error: neither python3.11 nor python3 found" >&2; exit 1; fi; \
		echo "Creating $(VENV) with $(PYTHON_BOOTSTRAP) ($$($(PYTHON_BOOTSTRAP) --version))"; \
		"$(PYTHON_BOOTSTRAP)" -m venv "$(VENV)"; \
		"$(PY)" -m pip install --quiet --disable-pip-version-check --upgrade pip; \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test]"
	@touch "$@"

run: venv ## Migrate, seed a demo organisation (prints the logins), serve on http://127.0.0.1:8000 beside a task worker
	$(PY) manage.py migrate
	$(PY) manage.py seed_demo
	@echo "Starting the task worker (e-mail, statistics, PDF archives) beside the development server"
	@$(PY) manage.py worker --no-reload --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null || true; wait $$worker 2>/dev/null || true' EXIT; \
	trap 'exit 130' INT; trap 'exit 143' TERM; \
	$(PY) manage.py runserver $(ADDRESS)

test: venv ## Run the test suite (SQLite, or PostgreSQL when DATABASE_URL is set)
	@case "$${DATABASE_URL:-}" in \
		"") echo "Database: SQLite (DATABASE_URL not set)" ;; \
		*) echo "Database: $${DATABASE_URL%%://*} (from DATABASE_URL)" ;; \
	esac
	@echo "$(PY) -m pytest $(PYTEST_ARGS)"; rc=0; $(PY) -m pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests (exit 5); that counts as a failure" >&2; fi; \
	exit $$rc

test-pg: venv ## Run the test suite against a throwaway PostgreSQL 15 cluster
	@env_lines=$$(scripts/pg_throwaway.sh start); \
	eval "$$env_lines"; \
	trap 'scripts/pg_throwaway.sh stop "$$PG_THROWAWAY_DIR"' EXIT; \
	trap 'exit 130' INT; trap 'exit 143' TERM; \
	EXPECT_DB_VENDOR=postgresql $(MAKE) test

lint: venv ## Check code style with ruff (lint and formatting)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: venv ## Reformat the code and sort imports with ruff
	$(PY) -m ruff check --select I --fix .
	$(PY) -m ruff format .

clean: ## Remove caches and test/coverage artefacts (keeps .venv and db.sqlite3)
	find . -path "./$(VENV)" -prune -o -type d -name __pycache__ -print0 | xargs -0 rm -rf
	rm -rf .pytest_cache .ruff_cache .coverage htmlcov

.PHONY: test-nightly seed-scale bench schemathesis

test-nightly: venv ## The statistics' LP attacker over fresh random organisations (5,000; SAMTALE_LP_EXAMPLES)
	SAMTALE_LP_NIGHTLY=1 $(PY) -m pytest -p no:cacheprovider tests/reports/test_statistics_lp.py $(PYTEST_ARGS)

schemathesis: venv ## Schemathesis on the whole API as leader, employee and HR: PostgreSQL, production settings, gunicorn
	scripts/schemathesis_live.sh


seed-scale: venv ## Build the 50,000-employee reference organisation in DATABASE_URL (demo app; wipes it; a few minutes)
	$(PY) manage.py migrate --verbosity 0
	$(PY) manage.py seed_scale --employees $${SCALE_EMPLOYEES:-50000} --cycles 2

bench: venv ## Load benchmark: throwaway PostgreSQL, seed-scale, gunicorn, wrk; writes bench-results/scale.md
	@command -v wrk >/dev/null || { echo "error: wrk not found (Debian: apt-get install wrk)" >&2; exit 1; }
	@env_lines=$$(scripts/pg_throwaway.sh start); \
	eval "$$env_lines"; \
	trap 'scripts/pg_throwaway.sh stop "$$PG_THROWAWAY_DIR"' EXIT; \
	trap 'exit 130' INT; trap 'exit 143' TERM; \
	$(MAKE) seed-scale; \
	eval "set -- $${BENCH_ARGS:-}"; \
	$(PY) bench/run_bench.py "$$@"
