# Safehold: two commands do everything — `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
SEED ?= 20261122
POPULATION ?= 50000
# The demo borough's history runs up to today, so its deadlines are current when you sign in.
AS_OF ?= $(shell date +%F)
DEMO_DB := var/demo.sqlite3
ORACLES := $(CURDIR)/.venv-oracles
SHARED ?= $(CURDIR)/../shared
# Test processes (pytest-xdist): one per CPU; TEST_WORKERS=0 runs in this process.
TEST_WORKERS ?= auto

.PHONY: demo worker serve install install-dev assets lint typecheck migrations-check test test-sqlite test-postgres \
        test-oracles bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

assets:
	tools/build_assets.sh

## demo: set up everything, load a synthetic borough and serve on http://127.0.0.1:8000
demo: install assets
	mkdir -p var
	@if [ ! -f $(DEMO_DB) ]; then rm -f var/demo-logins.txt; fi
	SAFEHOLD_DEBUG=1 DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(BIN)/python manage.py migrate --no-input -v0
	@if [ -s var/demo-logins.txt ]; then \
		echo "Demo borough already loaded (delete $(DEMO_DB) to start again). Logins:"; cat var/demo-logins.txt; \
	else \
		SAFEHOLD_DEBUG=1 DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(BIN)/python manage.py generate_borough \
			--child-population $(POPULATION) --seed $(SEED) --as-of $(AS_OF) --demo-users --flush > var/demo-logins.tmp \
		&& SAFEHOLD_DEBUG=1 DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(BIN)/python manage.py timescales refresh \
		&& mv var/demo-logins.tmp var/demo-logins.txt && chmod 600 var/demo-logins.txt && cat var/demo-logins.txt; \
	fi
	@# The background worker (returns, Annex A) runs beside the server and stops with it.
	@SAFEHOLD_DEBUG=1 DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(BIN)/python manage.py db_worker --no-reload -v0 & \
	WORKER=$$!; trap 'kill $$WORKER 2>/dev/null; wait $$WORKER 2>/dev/null' EXIT INT TERM; \
	SAFEHOLD_DEBUG=1 DATABASE_URL=sqlite:///$(CURDIR)/$(DEMO_DB) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## worker: run the background jobs (returns, Annex A) for the demo database, or for $$DATABASE_URL when it is set
worker: install
	SAFEHOLD_DEBUG=$${SAFEHOLD_DEBUG:-1} DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/$(DEMO_DB)} \
		$(BIN)/python manage.py db_worker --no-reload

lint: install-dev
	$(BIN)/ruff check .

typecheck: install-dev
	$(BIN)/mypy safehold config tools

migrations-check: install-dev
	@# The production settings, no secret key needed: a command that signs nothing runs without one.
	env -u SAFEHOLD_SECRET_KEY $(BIN)/python manage.py makemigrations --check --dry-run

## test: lint, types, migrations, the suite on SQLite, then on a throwaway PostgreSQL (with the browser journeys)
test: install-dev assets lint typecheck migrations-check test-sqlite test-postgres

test-sqlite: install-dev
	@echo "== pytest on SQLite =="
	$(BIN)/python -m pytest -q -m "not e2e" -p no:cacheprovider -n $(TEST_WORKERS)

test-postgres: install-dev assets
	@echo "== pytest on PostgreSQL (throwaway cluster) incl. browser journeys =="
	$(BIN)/python tools/pg_run.py -- $(BIN)/python -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS)

## test-oracles: compare with the sector's own validators (built once into .venv-oracles)
test-oracles: install-dev
	bash $(SHARED)/oracles/install.sh $(ORACLES)
	SAFEHOLD_ORACLES=$(ORACLES) SAFEHOLD_SHARED=$(SHARED) $(BIN)/python -m pytest -q -p no:cacheprovider oracles

## bench: figures for the performance goals (large borough; takes several minutes)
bench: install-dev
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules var safehold/frontend/static/vendor
