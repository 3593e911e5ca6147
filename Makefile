# The two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE ?= skinspire.settings.local

.PHONY: run test install chromium migrate demo lint format bench bench-reconciliation bench-webhooks bench-payouts bench-soak check clean

$(STAMP): requirements/base.txt requirements/dev.txt requirements/prod.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py setup_periodic_tasks

# Installs, migrates SQLite, loads demo data, then serves the site, a Celery worker and
# beat together (Procfile). No PostgreSQL or Redis needed; set DATABASE_URL / REDIS_URL to use them.
run: demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile

# Installs and runs the whole suite (DATABASE_URL / REDIS_URL from the environment).
test: install chromium
	CHROMIUM=$(CHROMIUM) DJANGO_SETTINGS_MODULE=skinspire.settings.test $(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

# The browser tests drive Debian's Chromium (never a downloaded one). Installed with apt-get
# when missing, if we are root or may sudo without a password; otherwise one clear sentence.
CHROMIUM ?= /usr/bin/chromium
CHROMIUM_HELP := The browser tests need Chromium at $(CHROMIUM): run 'sudo apt-get install -y chromium' (Debian/Ubuntu), then 'make test' again.
chromium:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then sudo=; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; \
	  else echo "$(CHROMIUM_HELP)" >&2; exit 1; fi; \
	  command -v apt-get >/dev/null || { echo "$(CHROMIUM_HELP)" >&2; exit 1; }; \
	  echo "Installing Debian's chromium for the browser tests (apt-get)..."; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && \
	  test -x $(CHROMIUM) || { echo "$(CHROMIUM_HELP)" >&2; exit 1; }; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

bench: install
	DJANGO_SETTINGS_MODULE=skinspire.settings.test $(BIN)/python bench/run.py

# The webhook receiver under gunicorn (2 workers) beside a bare view; needs DATABASE_URL
# (PostgreSQL) and REDIS_URL. gunicorn is pinned in requirements/prod.txt. Optional:
# BENCH_PORT, BENCH_RATE, BENCH_SECONDS, BENCH_CONCURRENCY, BENCH_SYNCHRONOUS_COMMIT=off.
bench-webhooks: install
	$(BIN)/python -m pip install --quiet -r requirements/prod.txt
	$(BIN)/python bench/bench_webhooks.py

# Reconciliation alone (issue 12): BENCH_RECON_ROWS payments, 1,000,000 unless told otherwise.
bench-reconciliation: install
	DJANGO_SETTINGS_MODULE=skinspire.settings.test $(BIN)/python bench/run.py reconciliation

# Payout initiations through the API under gunicorn, PostgreSQL, Redis and a worker (issue 9):
# BENCH_PAYOUTS (1000) by BENCH_CONCURRENCY (50) clients, or arriving at BENCH_RATE a second.
# Needs DATABASE_URL and REDIS_URL; gunicorn is pinned in requirements/prod.txt.
bench-payouts: install
	$(BIN)/python -m pip install --quiet -r requirements/prod.txt
	$(BIN)/python bench/bench_payouts.py

# A busy hospital day against a running `make run` (the embedded default: SQLite and the
# file broker), through the HTTP API and pages: bills and patient links paid on the sandbox,
# supplier payouts approved, reconciliation runs, beat. Then waits for the queue to drain and
# checks no 5xx, no lost or failed task, no lock error. Start `make run > var/run.log 2>&1`
# first; optional: SOAK_SECONDS (180), SOAK_CONCURRENCY (8), SOAK_LOG (var/run.log's path).
bench-soak: install
	$(BIN)/python bench/soak_embedded.py

clean:
	rm -rf $(VENV) var
