# People: `make run` serves the embedded mode, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# `make test` runs the suite on one pytest-xdist worker per core (PYTEST_WORKERS=0: one process).
# Each test module stays on one worker, so a module's servers start once.
PYTEST_WORKERS ?= auto
# Test peers' npm packages are installed here, keyed on their lockfile.
PEERS_CACHE := .cache/peers
OIDC_PEER := tests/peers/oidc
AXE_PEER := tests/peers/axe
# Gettext catalogs of the apps, compiled with Babel (no GNU gettext needed); .mo files are not in git.
PO_FILES := $(wildcard people/*/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)
# Embedded-mode defaults; every variable can be overridden from the environment.
RUN_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-true} PEOPLE_DEV_LOGIN=$${PEOPLE_DEV_LOGIN:-true} PEOPLE_JOBS_MODE=$${PEOPLE_JOBS_MODE:-thread}

.DEFAULT_GOAL := help
.PHONY: schema fuzz help install run dev prod static migrate demo test test-scale lint bench bench-teams bench-rs superuser clean peers run-idp chromium gettext messages screenshots

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed messages ## create .venv and install People with its test tools

# Only the catalogs changed since their last compilation are compiled again.
%.mo: %.po | $(VENV)/.installed
	$(PY) -m people.core.catalogs $<

messages: $(MO_FILES) ## compile the translation catalogs (.po -> .mo) of the apps

migrate: install ## apply the database migrations
	@mkdir -p "$${PEOPLE_DATA_DIR:-var}"
	$(RUN_ENV) $(PY) manage.py migrate --noinput

demo: migrate ## load the demo data set (idempotent)
	$(RUN_ENV) $(PY) manage.py demo

static: install ## collect the static files (compressed, hashed names) for the web server, unless unchanged
	$(RUN_ENV) $(PY) manage.py static

# Gunicorn (config/gunicorn.py) keeps client connections alive; WEB_WORKERS, WEB_THREADS tune it.
run: demo static ## serve the embedded mode on http://127.0.0.1:8000 with Gunicorn (SQLite, in-process jobs)
	@echo "People on http://$(HOST):$(PORT)/ - sign in as demo@example.com at http://$(HOST):$(PORT)/dev/login/"
	$(RUN_ENV) HOST=$(HOST) PORT=$(PORT) WEB_WORKERS=$${WEB_WORKERS:-2} \
	  exec $(PY) -m gunicorn --config config/gunicorn.py

# Django's development server reloads on code changes; it starts a thread per connection, so
# database connections are not kept between requests.
dev: demo ## serve the embedded mode with Django's development server, reloading on code changes
	@echo "People on http://$(HOST):$(PORT)/ - sign in as demo@example.com at http://$(HOST):$(PORT)/dev/login/"
	$(RUN_ENV) DATABASE_CONN_MAX_AGE=0 $(PY) manage.py runserver $(HOST):$(PORT)

# The production processes of the Procfile, after the migrations and static files.
prod: install ## run the Procfile (web, worker, beat) with honcho: needs DATABASE_URL and REDIS_URL
	@missing="$$([ -n "$$DATABASE_URL" ] || printf 'DATABASE_URL ')$$([ -n "$$REDIS_URL" ] || printf 'REDIS_URL')"; missing="$${missing% }"; \
	if [ -n "$$missing" ]; then \
	  echo "make prod needs DATABASE_URL and REDIS_URL; missing: $$missing" >&2; \
	  echo "  set them, e.g. DATABASE_URL=postgres://people:PASSWORD@db.example:5432/people REDIS_URL=redis://cache.example:6379/0 make prod" >&2; \
	  echo "  (production also needs DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS; make run serves the embedded mode without them)" >&2; \
	  exit 2; \
	fi
	@mkdir -p "$${PEOPLE_DATA_DIR:-var}"  # beat keeps its schedule there
	$(PY) manage.py migrate --noinput
	$(PY) manage.py static
	@mkdir -p "$${PEOPLE_DATA_DIR:-var}"  # beat keeps its schedule there
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" exec $(VENV)/bin/honcho start --procfile Procfile

superuser: migrate ## create an admin account
	$(RUN_ENV) $(PY) manage.py createsuperuser

test: install peers chromium gettext ## run the whole test suite (DATABASE_URL selects PostgreSQL, else SQLite)
	@$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadscope $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; rc=0; fi; exit $$rc

# The browser tests save the screenshots of the main pages (both languages) with
# tests.browser.browser.screenshot; with PEOPLE_SCREENSHOTS_DIR they land in docs/screenshots/.
screenshots: install peers chromium ## regenerate docs/screenshots/ (main pages, French and English) from the browser tests
	PEOPLE_SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(PY) -m pytest tests/browser $(PYTEST_ARGS)

# Two web instances and two Celery workers from the Procfile on PostgreSQL and Redis
# (DATABASE_URL=postgres://...; SCALE_REDIS_URL, default redis://127.0.0.1:6379/5, is flushed).
test-scale: install peers ## prove the scale-out: shared sessions, caches, rate limits, outbox, last owner
	$(PY) -m pytest tests/scale $(PYTEST_ARGS)

# $(call npm_peer,SOURCE_DIR,what is skipped without npm): the peer's locked packages into $(@D).
define npm_peer
	@if command -v npm >/dev/null 2>&1; then \
	  mkdir -p $(@D) && rm -f $@ && cp $(1)/package.json $(@D)/package.json && \
	  cp $(1)/package-lock.json $@ && \
	  (cd $(@D) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) || { rm -f $@; exit 1; }; \
	else echo "npm not found: $(2) will be skipped"; fi
endef

$(PEERS_CACHE)/oidc/package-lock.json: $(OIDC_PEER)/package.json $(OIDC_PEER)/package-lock.json
	$(call npm_peer,$(OIDC_PEER),the tests against the real OpenID provider)

$(PEERS_CACHE)/axe/package-lock.json: $(AXE_PEER)/package.json $(AXE_PEER)/package-lock.json
	$(call npm_peer,$(AXE_PEER),the accessibility checks of the browser tests)


peers: $(PEERS_CACHE)/oidc/package-lock.json $(PEERS_CACHE)/axe/package-lock.json ## install the test peers (npm oidc-provider, axe-core) into .cache/peers

run-idp: install peers ## run the test OpenID provider on http://127.0.0.1:9000 (sign in from a browser)
	$(PY) -m tests.peers.oidc.run

# Browser tests drive Debian's Chromium; installed here only if missing and apt is usable,
# otherwise those tests are skipped with their reason.
# $(call apt_tool,COMMAND,PACKAGE,what is skipped without it): install PACKAGE when COMMAND is missing.
define apt_tool
	@if command -v $(1) >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null) \
	  || echo "could not install $(2): $(3) will be skipped"; \
	else echo "$(2) not installed and apt not usable: $(3) will be skipped"; fi
endef

chromium: ## install Debian's Chromium for the browser tests (if absent)
	$(call apt_tool,chromium,chromium,the browser tests)

# makemessages (the test that every marked string is in its catalog) needs GNU gettext; the
# catalogs themselves are compiled without it.
gettext: ## install GNU gettext for the translation tests (if absent)
	$(call apt_tool,msguniq,gettext,the test of the catalogs against the code)

BENCH_USERS ?= 100000
BENCH_TEAMS ?= 10000
BENCH_ORGANIZATIONS ?= 100
BENCH_SCALE ?= 1
# A throwaway SQLite database, or the one BENCH_DATABASE_URL names (kept: a second run adds nothing).
BENCH_ENV = dir=$$(mktemp -d); trap 'rm -rf "$$dir"' EXIT; \
	export DJANGO_DEBUG=true PEOPLE_DATA_DIR="$$dir"; \
	if [ -n "$$BENCH_DATABASE_URL" ]; then export DATABASE_URL="$$BENCH_DATABASE_URL"; else unset DATABASE_URL; fi; \
	export PEOPLE_STATIC_ROOT="$${PEOPLE_STATIC_ROOT:-$(CURDIR)/.cache/static}"; \
	if [ -n "$$BENCH_DATABASE_URL" ]; then $(PY) manage.py static; fi; \
	echo "bench: $(BENCH_USERS) users, $(BENCH_TEAMS) teams, $(BENCH_ORGANIZATIONS) organizations into $${DATABASE_URL:-SQLite in $$dir}"; \
	$(PY) manage.py migrate --noinput -v0
BENCH_DEMO = $(PY) manage.py demo --users $(BENCH_USERS) --teams $(BENCH_TEAMS) --organizations $(BENCH_ORGANIZATIONS)
# The bench starts a Redis of its own (BENCH_REDIS_URL to use another); with BENCH_DATABASE_URL
# it runs with production settings (the pages' static files collected first, as `make prod`
# does), else on SQLite with DEBUG on.
bench: install ## load the directory's shape and print where we stand: in process, over HTTP, JSON in bench/results (BENCH_SCALE=10, BENCH_DATABASE_URL)
	@$(BENCH_ENV) && export BENCH_USERS=$(BENCH_USERS) BENCH_TEAMS=$(BENCH_TEAMS) \
	  BENCH_ORGANIZATIONS=$(BENCH_ORGANIZATIONS) BENCH_SCALE=$(BENCH_SCALE) && \
	if [ -z "$$BENCH_REDIS_URL" ] && command -v redis-server >/dev/null; then \
	  port=$$($(PY) -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	  redis-server --port $$port --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --pidfile "$$dir/redis.pid" >/dev/null; \
	  trap 'kill $$(cat "$$dir/redis.pid") 2>/dev/null; rm -rf "$$dir"' EXIT; export BENCH_REDIS_URL=redis://127.0.0.1:$$port/0; fi; \
	if [ -n "$$BENCH_REDIS_URL" ]; then export REDIS_URL="$$BENCH_REDIS_URL"; else unset REDIS_URL; fi; \
	$(PY) -m bench.run

bench-teams: install ## p50/p95 of GET /api/v1.0/teams/ for a user in 50 teams, on the data `bench` loads
	@$(BENCH_ENV) && $(BENCH_DEMO) && $(PY) -m bench.bench_teams

bench-rs: install peers ## resource-server throughput, warm introspection cache vs OIDC_RS_CACHE_TTL=0 (BENCH_RS_FORMAT=jwt)
	$(PY) -m bench.bench_rs

schema: install ## regenerate docs/openapi.yaml from the code
	DJANGO_DEBUG=true $(PY) manage.py spectacular --lang en-us --validate --fail-on-warn --file docs/openapi.yaml

FUZZ_EXAMPLES ?= 200
fuzz: install ## fuzz the whole API against a live server for longer than the suite does (FUZZ_EXAMPLES per operation)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest tests/test_fuzz_api.py $(PYTEST_ARGS)

lint: install ## ruff
	$(VENV)/bin/ruff check .

clean: ## remove the virtualenv, the embedded database and caches
	rm -rf $(VENV) var .pytest_cache
