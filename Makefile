# The two commands of the README: `make run` and `make test`.
# Also: `make lint`, `make pytest ARGS="tests/technicians -x"` (PYTEST_PROCESSES=0: in one
# process), `make lock` (after changing the dependencies in pyproject.toml).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARGS ?= $(PYTEST_ARGS)

.PHONY: run test lint pytest lock format migrate demo worker beat bench clean

# The exact versions of requirements.lock (what CI tested), then the portal itself.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@# A dependency in pyproject.toml that the lock lacks shows here: run `make lock`.
	$(BIN)/python -m pip check
	touch $(STAMP)

# pyproject.toml keeps the ranges; the lock pins one version of everything, dev extra included.
# Versions already pinned stay as they are; LOCK_ARGS=--upgrade moves them all to the newest.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url \
		--no-emit-find-links $(LOCK_ARGS) --output-file requirements.lock pyproject.toml

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable

# Loads the demo data on every run: seed_demo is idempotent (a second run creates and changes
# nothing, in about a second), so a deleted database simply gets its demo data back.
demo: migrate
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py demo_logins

run: demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The suite spread over one process per core (pytest-xdist); PYTEST_PROCESSES=0 runs it in one.
PYTEST_PROCESSES ?= auto

pytest: $(STAMP)
	$(BIN)/pytest -n $(PYTEST_PROCESSES) $(ARGS)

test: lint pytest

# The reports queue is the annual report's (its render task runs there, one at a time).
worker: $(STAMP)
	$(BIN)/celery -A config worker -Q celery,reports,imports --loglevel INFO

beat: $(STAMP)
	$(BIN)/celery -A config beat --loglevel INFO

# The performance harness (bench/run.py; never part of `make test`): PostgreSQL, gunicorn, wrk,
# Redis database 7. Writes bench/RESULTS.md. BENCH_ARGS="--keep --duration 5" to rerun faster.
BENCH_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/portal_bench)
bench: $(STAMP)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV)
