# Heard — the two commands are `make run` and `make test`; see README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HEARD := $(BIN)/heard
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install run test lint types audit unit migrate demo bench bench-smoke clean browser screenshots

install: $(STAMP) browser

# The browser tests drive Debian's Chromium where apt can install it (as root), otherwise
# the Chromium Playwright installs for itself. With neither, this fails and says why:
# browser tests are part of `make test` and are never skipped.
browser: $(STAMP)
	@command -v chromium >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } || \
	  $(BIN)/playwright install chromium || \
	  { echo "No browser for the browser tests: install Debian's chromium (apt-get install chromium) or run .venv/bin/playwright install chromium" >&2; exit 1; }

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
	$(BIN)/mypy heard bench

unit: install
	$(BIN)/pytest -n 2 -p no:cacheprovider

test: lint types audit unit bench-smoke

# The user guide's pictures (docs/screenshots), renewed from the tests that take them; a plain
# test run puts its pictures in var/screenshots and leaves the committed ones alone.
screenshots: install
	HEARD_SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(BIN)/pytest -p no:cacheprovider \
	  heard/staff/tests/test_browser.py heard/reporting/tests/test_documents.py \
	  heard/improvement/tests/test_portfolio.py

# Known vulnerabilities in the pinned dependencies (requirements.lock), from PyPI's advisory
# feed; the report is kept in var/pip-audit.txt. A known vulnerability fails the build. If the
# feed cannot be reached for every package (some mirrors do not serve it), the audit says
# loudly that the lock was NOT audited and the build goes on: an unreachable feed must never
# read as "no known vulnerabilities", nor stop the tests of a machine without it.
audit: install
	@mkdir -p var
	@status=0; $(BIN)/pip-audit -r requirements.lock --no-deps --disable-pip --strict \
	  --progress-spinner off > var/pip-audit.txt 2>&1 || status=$$?; \
	cat var/pip-audit.txt; \
	if [ $$status -ne 0 ] && grep -qiE "could not be audited|could not connect|network may be blocking|404" var/pip-audit.txt \
	   && ! grep -qiE "found [0-9]+ known vulnerabilit" var/pip-audit.txt; then \
	  echo "pip-audit: PyPI's vulnerability data could not be reached for every package, so requirements.lock was NOT audited. Run 'make audit' where PyPI's JSON API is reachable." >&2; \
	  status=0; \
	fi; \
	exit $$status

# Benchmarks (not part of make test): PostgreSQL at BENCH_DATABASE_URL, default 127.0.0.1.
bench: install
	$(BIN)/python -m bench $(if $(CASES),--cases $(CASES))

# The harness on ~1,000 cases and SQLite: every measurement must produce a number and
# nothing may be lost; no timing is judged.
bench-smoke: install
	$(BIN)/python -m bench --smoke

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
