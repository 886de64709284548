# `make run` serves the demo; `make test` runs every check. Both set themselves up on a fresh clone.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
PORT ?= 5000
export CRM_ENV ?= development
export CRM_BASE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test lint typecheck migrations-check translations translations-update clean bench \
	bench-scoring bench-external load

$(BIN)/activate: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(BIN)/activate

translations: $(BIN)/activate
	$(BIN)/pybabel compile --statistics -d crm/translations -D messages

# The scheduler (reminders, digest, rescoring) runs beside the web server and stops with it.
run: $(BIN)/activate translations
	$(FLASK) crm bootstrap
	$(FLASK) crm scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null; wait $$scheduler' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Workers steal queued tests from each other: a few long tests (the bench smoke, schedulers, browsers)
# no longer leave one worker finishing alone.
test: $(BIN)/activate translations lint typecheck migrations-check
	$(BIN)/pytest --numprocesses auto --maxprocesses 4 --dist worksteal

lint: $(BIN)/activate
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(BIN)/activate
	$(BIN)/mypy

# An empty database upgraded to head must match the models exactly.
migrations-check: $(BIN)/activate
	rm -f instance/migrations-check.sqlite3
	mkdir -p instance
	DATABASE_URL=sqlite:///$(CURDIR)/instance/migrations-check.sqlite3 $(FLASK) db upgrade -d migrations >/dev/null 2>&1
	DATABASE_URL=sqlite:///$(CURDIR)/instance/migrations-check.sqlite3 $(FLASK) db check -d migrations
	rm -f instance/migrations-check.sqlite3

# Speed targets live here, not in timed tests: see benchmarks/README.md. `make bench` builds (once,
# then reuses) a district of 100,000 firms and 1,000,000 visits, serves it with gunicorn and writes
# docs/bench/. On PostgreSQL: make bench BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1/cultivate_bench
bench: $(BIN)/activate translations
	$(BIN)/python -m benchmarks.bench_district $(BENCH_ARGS)

# Training and rescoring on synthetic firms, phase by phase (about 15 minutes).
bench-scoring: $(BIN)/activate
	$(BIN)/python -m benchmarks.bench_scoring $(BENCH_ARGS)

# The scoring candidates on Crunchbase's 2013 export (research; see docs/external-benchmark.md).
EXTERNAL_ARGS ?= ../shared/datasets/crunchbase-2013 --train-cutoff 2009-01-01 --test-cutoff 2011-01-01
bench-external: $(BIN)/activate
	$(BIN)/python -m benchmarks.bench_external $(EXTERNAL_ARGS)

# 50 account managers at once for LOAD_SECONDS (default 120) against gunicorn, 4 workers, on the
# demo's 2,000 firms: no 5xx, every acknowledged visit stored; results in docs/load/. On PostgreSQL
# (a database whose name contains "load"): make load LOAD_DATABASE_URL=postgresql://postgres@127.0.0.1/cultivate_load
load: $(BIN)/activate translations
	$(BIN)/python -m benchmarks.load $(LOAD_ARGS)

clean:
	rm -rf $(VENV) instance/crm.sqlite3 instance/crm.sqlite3.scheduler-lock instance/models instance/mail \
		.pytest_cache .mypy_cache .ruff_cache

translations-update: $(BIN)/activate
	$(BIN)/pybabel extract -F crm/translations/babel.cfg -k _l -k lazy_gettext --no-location \
		--sort-output --omit-header -o crm/translations/messages.pot crm templates
	$(BIN)/pybabel update -i crm/translations/messages.pot -d crm/translations --no-fuzzy-matching
