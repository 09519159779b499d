# People: `make run` serves the embedded mode, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Embedded-mode defaults; every variable can be overridden from the environment.
RUN_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-true} PEOPLE_DEV_LOGIN=$${PEOPLE_DEV_LOGIN:-true} PEOPLE_JOBS_MODE=$${PEOPLE_JOBS_MODE:-thread}

.DEFAULT_GOAL := help
.PHONY: help install run migrate demo test lint bench superuser clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed ## create .venv and install People with its test tools

migrate: install ## apply the database migrations
	@mkdir -p var
	$(RUN_ENV) $(PY) manage.py migrate --noinput

demo: migrate ## load the demo data set (idempotent)
	$(RUN_ENV) $(PY) manage.py demo

run: demo ## serve the embedded mode on http://127.0.0.1:8000 (SQLite, in-process jobs)
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

superuser: migrate ## create an admin account
	$(RUN_ENV) $(PY) manage.py createsuperuser

test: install ## run the whole test suite (DATABASE_URL selects PostgreSQL, else SQLite)
	@$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; rc=0; fi; exit $$rc

lint: install ## ruff
	$(VENV)/bin/ruff check .

clean: ## remove the virtualenv, the embedded database and caches
	rm -rf $(VENV) var .pytest_cache
