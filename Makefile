# CupManager: `make run` serves the demo, `make test` runs every check. Both are idempotent.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint suite bench install messages clean

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
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

CHROMIUM ?= /usr/bin/chromium

suite: install
	@if [ -x "$(CHROMIUM)" ]; then echo "Browser tests: Chromium found at $(CHROMIUM), they run."; \
	else echo "Browser tests: SKIPPED, no Chromium at $(CHROMIUM) (apt-get install chromium)."; fi
	CHROMIUM_PATH=$(CHROMIUM) $(VENV)/bin/pytest

test: lint suite

bench: install
	$(PY) -m bench

# Needs GNU gettext (apt-get install gettext); the compiled catalogue is committed.
messages: install
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles
