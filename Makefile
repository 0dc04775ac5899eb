# Kopā: `make run` sets everything up and serves on http://127.0.0.1:5000; `make test` runs the suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := app
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
DB_NAME ?= kopa
TEST_DB_NAME ?= kopa_test
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: help run serve setup system system-test deps db db-test migrate demo test lint format \
        translations translations-compile bench loadtest clean

help:
	@echo "make run           set up everything (PostgreSQL+PostGIS, venv, assets, data) and serve"
	@echo "make test          set up the test prerequisites (+ chromium) and run the whole suite"
	@echo "make lint          ruff check + ruff format --check"
	@echo "make translations  extract, update and compile the lv/en catalogs"
	@echo "make bench         run the benchmark (bench/README.md)"

run: setup db migrate demo
	$(MAKE) serve

# The notification worker runs beside the web server and stops with it.
serve:
	$(BIN)/flask notifications send --loop & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

setup: system deps translations-compile

system:
	@scripts/install-system.sh

system-test:
	@scripts/install-system.sh --browser

deps: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Kopā needs Python 3.11 or newer ($(PYTHON) is older)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --omit=dev
	touch $@

db:
	@if [ -z "$$DATABASE_URL" ]; then scripts/setup-db.sh $(DB_NAME); fi

db-test:
	@if [ -z "$$TEST_DATABASE_URL" ]; then scripts/setup-db.sh $(TEST_DB_NAME); fi

migrate:
	$(BIN)/flask db upgrade heads

demo:
	$(BIN)/flask demo load

test: system-test deps translations-compile db-test
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || \
	  (command -v redis-server >/dev/null && redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no) || \
	  echo "note: Redis is not running; tests that need it will start it or be reported"
	@# Tests that restart PostgreSQL or load the whole machine run alone, before the rest.
	$(BIN)/pytest -n 0 -m serial $(PYTEST_ARGS) || [ $$? -eq 5 ]
	$(BIN)/pytest -n 2 -m "not serial" $(PYTEST_ARGS)

lint:
	$(BIN)/ruff check app tests bench config.py
	$(BIN)/ruff format --check app tests bench config.py

format:
	$(BIN)/ruff format app tests bench config.py
	$(BIN)/ruff check --fix app tests bench config.py

translations:
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --add-comments=Translators: \
	  --no-location --sort-output --ignore-dirs ".* node_modules __pycache__" -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	$(MAKE) translations-compile

translations-compile: $(VENV)/.installed
	$(BIN)/pybabel compile -d translations --statistics

bench: setup
	@scripts/setup-db.sh kopa_bench
	$(BIN)/python -m bench.run $(BENCH_ARGS)

loadtest: setup db-test
	$(BIN)/python -m bench.loadtest

clean:
	rm -rf $(VENV) node_modules .pytest_cache
