# sfmock: the two commands are `make run` and `make test`; each does all of its own set-up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test install migrate bench lint clean chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) -m sfmock.cli migrate

# Migrates the embedded SQLite database, loads the demo org when the database is empty, then serves.
run: migrate
	$(PY) -m sfmock.cli serve --load-demo-if-empty

test: install lint
	$(PY) -m pytest $(PYTEST_ARGS)

# The lint and type gate (pyproject.toml's [tool.ruff] and [tool.mypy]); `make test` runs it first and stops on a
# finding. mypy checks the package by its import name through .mypy-path/sfmock, a link to app/ (git-ignored): the
# editable install maps sfmock to app/ with an import hook that mypy cannot follow.
lint: install
	$(VENV)/bin/ruff check app tests migrations bench setup.py
	mkdir -p .mypy-path && ln -sfn ../app .mypy-path/sfmock
	$(VENV)/bin/mypy -p sfmock

# The real jsforce for tests/e2e/test_jsforce.py, exactly as package-lock.json pins it (only where npm exists;
# without node those tests skip themselves).
tests/e2e/jsforce/node_modules/.stamp: tests/e2e/jsforce/package.json tests/e2e/jsforce/package-lock.json
	npm ci --prefix tests/e2e/jsforce --no-audit --no-fund
	touch $@

# The real Salesforce CLI (sf) for the e2e tests that drive it (tests/e2e/sfcli.py), pinned the same way.
tests/e2e/sfcli/node_modules/.stamp: tests/e2e/sfcli/package.json tests/e2e/sfcli/package-lock.json
	npm ci --prefix tests/e2e/sfcli --no-audit --no-fund --ignore-scripts
	touch $@

ifneq ($(shell command -v npm),)
test: tests/e2e/jsforce/node_modules/.stamp tests/e2e/sfcli/node_modules/.stamp
endif

# Headless Chromium for tests/e2e/test_console_browser.py, from Debian's packages where apt-get exists and they
# are missing (a failed install is not fatal: the browser test then skips itself).
ifneq ($(shell command -v apt-get),)
ifneq ($(words $(wildcard /usr/bin/chromium /usr/bin/chromedriver)),2)
test: chromium
endif
endif

chromium:
	-apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver

# Every figure of issue 9 in one bounded run (a few minutes): sfmock and a bare FastAPI app, each served by
# uvicorn, driven over loopback by 8 keep-alive clients; then the SQL statements per call. BENCH_ARGS: e.g.
# --no-postgres, --leads 20000, --seconds 2.
bench: install
	$(PY) bench/suite.py $(BENCH_ARGS)
	$(PY) bench/statements.py
	$(PY) bench/soql_search.py
	$(PY) bench/bulk2_insert.py

clean:
	rm -rf $(VENV) var/*.db var/*.db-* .mypy-path .mypy_cache .ruff_cache
