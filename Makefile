# People: `make run` serves the embedded mode, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Test peers' npm packages are installed here, keyed on their lockfile.
PEERS_CACHE := .cache/peers
OIDC_PEER := tests/peers/oidc
# Embedded-mode defaults; every variable can be overridden from the environment.
RUN_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-true} PEOPLE_DEV_LOGIN=$${PEOPLE_DEV_LOGIN:-true} PEOPLE_JOBS_MODE=$${PEOPLE_JOBS_MODE:-thread}

.DEFAULT_GOAL := help
.PHONY: help install run migrate demo test lint bench superuser clean peers run-idp

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

test: install peers ## run the whole test suite (DATABASE_URL selects PostgreSQL, else SQLite)
	@$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; rc=0; fi; exit $$rc

$(PEERS_CACHE)/oidc/package-lock.json: $(OIDC_PEER)/package.json $(OIDC_PEER)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  mkdir -p $(@D) && rm -f $@ && cp $(OIDC_PEER)/package.json $(@D)/package.json && \
	  cp $(OIDC_PEER)/package-lock.json $@ && \
	  (cd $(@D) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) || { rm -f $@; exit 1; }; \
	else echo "npm not found: the tests against the real OpenID provider will be skipped"; fi

peers: $(PEERS_CACHE)/oidc/package-lock.json ## install the test peers (npm oidc-provider) into .cache/peers

run-idp: install peers ## run the test OpenID provider on http://127.0.0.1:9000 (sign in from a browser)
	$(PY) -m tests.peers.oidc.run

lint: install ## ruff
	$(VENV)/bin/ruff check .

clean: ## remove the virtualenv, the embedded database and caches
	rm -rf $(VENV) var .pytest_cache
