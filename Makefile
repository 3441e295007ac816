# sfmock: the two commands are `make run` and `make test`; each does all of its own set-up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test install migrate bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) -m app.cli migrate

# Migrates the embedded SQLite database, loads the demo org when the database is empty, then serves.
run: migrate
	$(PY) -m app.cli serve --load-demo-if-empty

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install
	$(PY) bench/soap_create.py
	$(PY) bench/rest_create.py

clean:
	rm -rf $(VENV) var/*.db var/*.db-*
