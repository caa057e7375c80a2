# CupManager: `make run` serves the demo, `make test` runs every check. Both are idempotent.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve worker test lint suite bench install messages clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py create_demo_staff
	@echo ""
	@echo "  Public site:  http://$(HOST):$(PORT)/"
	@echo "  Back office:  http://$(HOST):$(PORT)/admin/"
	@echo "  API:          http://$(HOST):$(PORT)/api/v1/"
	@echo "  Staff:        the accounts above (username / password / role), one per role;"
	@echo "                demo / demo-cup-2024 is the superuser"
	@echo ""
	@echo "  Background tasks (e-mails, PDFs, webhooks): a worker runs beside the server."
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py run_huey --quiet & worker=$$!; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

# The task queue's worker (core/queue.py): e-mails, webhooks, the notice board's PDFs, retried
# when they fail, and the scheduled jobs (reminders, purges). Run one beside `make serve`, on
# the same TASK_QUEUE_URL (redis://… once there are several machines); on further workers set
# WORKER_PERIODIC=0, so that one worker alone queues the scheduled jobs. docs/OPERATIONS.md.
TASK_WORKERS ?= 2
worker: install
	$(PY) manage.py run_huey --workers $(TASK_WORKERS) \
	  $(if $(filter 0 false,$(WORKER_PERIODIC)),--no-periodic,)

# The production server: gunicorn running uvicorn's ASGI workers (a live page's stream holds a
# connection without a thread), on PostgreSQL (DATABASE_URL), WEB_CONCURRENCY workers (gunicorn's
# own variable; 3 by default), debug off unless DJANGO_DEBUG says otherwise. Production also needs
# DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS; DJANGO_HTTPS=0 for plain HTTP on loopback. Extra
# gunicorn options go in GUNICORN_CMD_ARGS. See docs/OPERATIONS.md.
# Rate limits and API throttles must count in a cache every worker shares: COUNTERS_CACHE_URL,
# else CACHE_URL when it is Redis, else db:// (the database's cache table, created here). A
# per-process cache (locmem://, dummy://) is refused: each worker would count on its own.
# Each worker lends its requests DATABASE_POOL (10) PostgreSQL connections from a pool. Live
# timing streams through LIVE_CHANNEL_URL (else CACHE_URL's Redis); without it the pages poll.
# E-mails, webhooks and the board's PDFs wait in the task queue (TASK_QUEUE_URL) for
# `make worker`, run beside this one; with several app servers, documents need OBJECT_STORE_URL.
WEB_CONCURRENCY ?= 3
DATABASE_POOL ?= 10
ACCESS_LOG ?= -
serve: export DATABASE_POOL := $(DATABASE_POOL)
serve: export COUNTERS_CACHE_URL := $(or $(COUNTERS_CACHE_URL),$(if $(filter redis://% rediss://%,$(CACHE_URL)),,db://))
serve: install
	@case "$${DATABASE_URL:-}" in postgres://*|postgresql://*) ;; \
	  *) echo "make serve runs on PostgreSQL: set DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/NAME" >&2; \
	     exit 2 ;; esac
	@counters="$${COUNTERS_CACHE_URL:-$${CACHE_URL:-}}"; case "$$counters" in \
	  redis://*|rediss://*|db://*) echo "make serve: rate limits and throttles count in" \
	    "$${counters%%://*}:// (COUNTERS_CACHE_URL, else CACHE_URL), shared by every worker" ;; \
	  *) echo "make serve refuses COUNTERS_CACHE_URL=$${counters%%://*}://: rate limits and API" \
	       "throttles must count in a cache every worker shares; set COUNTERS_CACHE_URL (or" \
	       "CACHE_URL) to redis://HOST:6379/DB, or to db:// for the database" >&2; exit 2 ;; esac
	DJANGO_DEBUG=$${DJANGO_DEBUG:-false} $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=$${DJANGO_DEBUG:-false} $(PY) manage.py createcachetable
	DJANGO_DEBUG=$${DJANGO_DEBUG:-false} $(PY) manage.py collectstatic --noinput --verbosity 0
	DJANGO_DEBUG=$${DJANGO_DEBUG:-false} exec $(VENV)/bin/gunicorn cupmanager.asgi:application \
	  --worker-class uvicorn_worker.UvicornWorker \
	  --bind $(HOST):$(PORT) --workers $(WEB_CONCURRENCY) \
	  --access-logfile $(ACCESS_LOG) --error-logfile - --graceful-timeout 20

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache  # the layers of docs/ARCHITECTURE.md
	$(PY) manage.py makemigrations --check --dry-run

CHROMIUM ?= /usr/bin/chromium

suite: install
	@if [ -x "$(CHROMIUM)" ]; then echo "Browser tests: Chromium found at $(CHROMIUM), they run."; \
	else echo "Browser tests: SKIPPED, no Chromium at $(CHROMIUM) (apt-get install chromium)."; fi
	CHROMIUM_PATH=$(CHROMIUM) $(VENV)/bin/pytest

test: lint suite

# Benchmarks, then a load run of 50 clients against `make serve` on PostgreSQL (BENCH_DATABASE_URL,
# created with the demo data if missing); BENCH_LOAD_SECONDS shortens it (60 s per address).
bench: install
	$(PY) -m bench

# Needs GNU gettext (apt-get install gettext); the compiled catalogue is committed.
messages: install
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles
