# CCHC: two commands. `make run` sets everything up and serves; `make test` checks everything.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: run test test-cluster install system-deps migrate demo lint format serve clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# System libraries and fonts (PDF forms); checks quickly and installs only what is missing.
system-deps:
	bin/system-deps

$(VENV)/.installed: pyproject.toml | system-deps $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: system-deps $(VENV)/.installed

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable

# The demo dossiers (about 300, a minute: electronic results are signed) are made once; later runs skip them.
demo: migrate
	$(BIN)/python manage.py load_demo --province
	$(BIN)/python manage.py make_demo_certificate
	$(BIN)/python manage.py load_demo_dossiers
	$(BIN)/python manage.py load_demo_reform

# gunicorn (the production server), the task worker and the scheduler under supervisord, which restarts
# whichever crashes; Ctrl+C stops all three within 10 seconds.
run: demo
	@echo "CCHC: http://$(HOST):$(PORT)/  (tài khoản minh họa: xem README.md, mật khẩu demo12345)"
	HOST=$(HOST) PORT=$(PORT) PYTHON=$(BIN)/python exec bin/run

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The suite runs on the test settings, whatever DJANGO_SETTINGS_MODULE `make` exports for `run`.
test: lint
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest

# The production topology on this machine (nginx, two gunicorns, two workers, the scheduler, PostgreSQL and
# a streaming replica, Redis, SeaweedFS), a journey end to end and a load with failures; stops what it started.
test-cluster: install
	$(BIN)/python bin/test-cluster

# Dossier figures on SQLite; BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench adds PostgreSQL.
bench: install
	$(BIN)/python bench/bench_calendar.py
	$(BIN)/python bench/bench_dossiers.py
	$(if $(BENCH_DATABASE_URL),$(BIN)/python bench/bench_dossiers.py --database-url $(BENCH_DATABASE_URL))
	$(if $(BENCH_DATABASE_URL),$(BIN)/python bench/bench_reports.py --database-url $(BENCH_DATABASE_URL))

clean:
	rm -rf var $(VENV)
