# ASCN Portal: `make run` serves the demo portal, `make test` runs lint, mypy and the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-dates lint format messages worker beat bench load clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

$(VENV)/.installed-load: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev,load]"
	touch $@ $(VENV)/.installed-dev $(VENV)/.installed

# The periodic work (expired links, reminders, the outbox sweep) runs beside the server
# in its own process, as beat does in the full stack; links it writes into e-mails
# lead to this server unless SITE_URL says otherwise.
RUN_URL := http://$(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST)):$(PORT)
run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	ASCN_DEFAULT_SITE_URL=$(RUN_URL) $(BIN)/python manage.py run_periodic & periodic=$$!; \
	trap 'kill $$periodic 2>/dev/null' EXIT INT TERM; \
	ASCN_DEFAULT_SITE_URL=$(RUN_URL) $(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest $(PYTEST_ARGS)

# The date-sensitive tests again with the clock at the day's edges (tests/conftest.py):
# 23:30 UTC, when the ASEAN day is already tomorrow, and 16:30 UTC, half an hour before
# midnight in UTC+7 and after it in UTC+8.
test-dates: $(VENV)/.installed-dev
	ASCN_TEST_CLOCK=23:30 $(BIN)/pytest -m date_sensitive $(PYTEST_ARGS)
	ASCN_TEST_CLOCK=16:30 $(BIN)/pytest -m date_sensitive $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh locale/id/LC_MESSAGES/django.po from the code, then compile it (needs gettext).
messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages -l id --no-obsolete --ignore=.venv --ignore=var --ignore=tests
	$(BIN)/python manage.py compilemessages -l id --ignore=.venv

# The full stack's background processes (need CELERY_BROKER_URL).
worker: $(VENV)/.installed
	$(BIN)/celery -A ascn_portal worker --loglevel=INFO

beat: $(VENV)/.installed
	$(BIN)/celery -A ascn_portal beat --loglevel=INFO

clean:
	rm -rf $(VENV) var

# Background-work benchmark: JSON lines, each figure next to its floor from the same run.
# Uses DATABASE_URL and CELERY_BROKER_URL when set (a real worker), eager mode otherwise.
bench: $(VENV)/.installed-dev
	$(BIN)/python -m tests.benchmarks.run

# Load suite (Locust, headless): opening day on gunicorn + PostgreSQL + Redis + a worker on
# loopback, bounded by LOAD_SECONDS (60) with LOAD_USERS (300); JSON lines like `make bench`.
# Needs DATABASE_URL=postgres://… and CELERY_BROKER_URL=redis://…
load: $(VENV)/.installed-load
	$(BIN)/python -m tests.load.run
