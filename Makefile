# Heard — the two commands are `make run` and `make test`; see README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HEARD := $(BIN)/heard
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install run test lint types unit migrate demo bench bench-smoke clean browser

install: $(STAMP) browser

# The browser tests drive Debian's Chromium (browser downloads are not used). As root the
# package is installed if missing; otherwise install it yourself: apt-get install chromium.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "chromium is not installed: the browser tests will be skipped (apt-get install chromium)"; fi; }

# Re-installs only when the dependency list changes, so `make install` is cheap to repeat.
$(STAMP): pyproject.toml requirements.lock package.json package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

migrate: install
	$(HEARD) migrate --no-input

# First start: migrate, load the demo organisation (only if there are no cases yet), serve.
run: migrate
	$(HEARD) collectstatic --no-input --verbosity 0
	$(HEARD) demo --if-empty
	$(HEARD) worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(HEARD) runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	HEARD_DATA_DIR=$$(mktemp -d) $(HEARD) makemigrations --check --dry-run

types: install
	$(BIN)/mypy heard

unit: install
	$(BIN)/pytest -n 2 -p no:cacheprovider

test: lint types unit bench-smoke

# Benchmarks (not part of make test): PostgreSQL at BENCH_DATABASE_URL, default 127.0.0.1.
bench: install
	$(BIN)/python -m bench $(if $(CASES),--cases $(CASES))

# The harness on ~1,000 cases and SQLite: every measurement must produce a number and
# nothing may be lost; no timing is judged.
bench-smoke: install
	$(BIN)/python -m bench --smoke

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
