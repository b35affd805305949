# Vigil: the two commands a newcomer needs are `make run` and `make test`.
# Both install into .venv and, when DATABASE_URL is unset, start an embedded
# PostgreSQL kept under .data/ (see scripts/dev.py).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench bench-import db-stop backup restore clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## make run: migrate, load the demo case, print the demo login, serve http://127.0.0.1:8000
run: install
	$(PY) scripts/dev.py run

## make test: the same set-up, then the whole test suite on two workers (ARGS="-k name" narrows it, ARGS="-n 0" runs it in one process)
test: install
	$(PY) scripts/dev.py test $(ARGS)

## make lint: ruff, and models that agree with their migrations
lint: install
	$(VENV)/bin/ruff check .
	$(PY) scripts/dev.py manage makemigrations --check --dry-run

## make bench [SCALE=small|full|<cases>]: Vigil against raw SQL and naive DRF on generated data (bench/run.py)
SCALE ?= full
bench: install
	$(PY) scripts/dev.py bench --scale $(SCALE) $(ARGS)

## make bench-import [ROWS=100000] [ARGS=--duplicates-only]: importing a generated messy CSV (rows/s, peak memory),
## then the duplicate pass (bench/imports.py); DATABASE_URL must name a database of its own (it writes into it)
ROWS ?= 100000
bench-import: install
	DEBUG=$${DEBUG:-1} $(PY) bench/imports.py --rows $(ROWS) $(ARGS)

## make db-stop: stop the embedded PostgreSQL (its data stays under .data/)
db-stop: install
	$(PY) scripts/dev.py stop-db

## make backup: pg_dump (custom format) into backups/ (or FILE=...)
backup: install
	$(PY) scripts/dev.py backup $(FILE)

## make restore FILE=...: pg_restore into the (empty) database of DATABASE_URL
restore: install
	$(PY) scripts/dev.py restore $(FILE)

clean:
	rm -rf $(VENV) staticfiles test-artifacts
