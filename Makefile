# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export SOCLE_DATA_DIR ?= $(CURDIR)/.data

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/socle migrate
	$(BIN)/socle demo --if-empty
	$(BIN)/socle serve --port $(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check core plugins tests bench

# The whole suite on SQLite, then every database test again on a throwaway PostgreSQL.
test: $(VENV)/.installed lint
	$(BIN)/python -m pytest -q -p no:cacheprovider --db sqlite
	$(BIN)/python -m pytest -q -p no:cacheprovider --db postgres -m "not nodb"

bench: $(VENV)/.installed
	$(BIN)/python bench/api_reads.py
	$(BIN)/python bench/slots.py
	$(BIN)/python bench/outbox.py

clean:
	rm -rf $(VENV) .data
