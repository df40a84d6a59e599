# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export SOCLE_DATA_DIR ?= $(CURDIR)/.data

# What the tests and benches need from the system (Debian packages), installed only when missing:
# chromium (browser tests, Playwright drives it), PostgreSQL (initdb/pg_ctl/pg_dump for the second test run and
# the backup tests; Debian keeps initdb in /usr/lib/postgresql/<version>/bin) and wrk (benches).
# APT_GET and PG_INITDB_GLOB are variables so the detection can be tried without touching the machine:
#   make system-packages APT_GET="echo apt-get" PATH=/some/dir/without/them
APT_GET ?= apt-get
PG_INITDB_GLOB ?= /usr/lib/postgresql/*/bin/initdb

.PHONY: run test lint bench clean system-packages

$(BIN)/python:
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || $(MAKE) --no-print-directory apt-install PACKAGES=python3-venv
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@

system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	if ! command -v initdb >/dev/null 2>&1 && ! ls $(PG_INITDB_GLOB) >/dev/null 2>&1; then \
	  missing="$$missing postgresql"; \
	fi; \
	command -v wrk >/dev/null 2>&1 || missing="$$missing wrk"; \
	if [ -n "$$missing" ]; then \
	  $(MAKE) --no-print-directory apt-install PACKAGES="$$missing"; \
	else \
	  echo "Paquets système présents : chromium, PostgreSQL, wrk."; \
	fi

# Installs $(PACKAGES) with apt-get, as root (CI) or through sudo; apt-get asks no question (-y, noninteractive).
.PHONY: apt-install
apt-install:
	@echo "Paquets système manquants, installation par $(APT_GET) : $(strip $(PACKAGES))"
	@if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
	else echo "Installez-les en root : apt-get install $(strip $(PACKAGES))" >&2; exit 1; fi; \
	if ! command -v $(firstword $(APT_GET)) >/dev/null 2>&1; then \
	  echo "apt-get introuvable : installez vous-même $(strip $(PACKAGES))." >&2; exit 1; \
	fi; \
	$$sudo env DEBIAN_FRONTEND=noninteractive $(APT_GET) update -qq && \
	$$sudo env DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq --no-install-recommends $(strip $(PACKAGES)) \
	  </dev/null >/dev/null && \
	echo "Installés : $(strip $(PACKAGES))."

# The RdvPermis and Printel simulators (passerelle_examens) run in the background on 127.0.0.1:8765 and :8766, the
# demo office's gateway addresses, their state kept in $(SOCLE_DATA_DIR)/simulateurs/; they stop with `make run`
# (the trap). The demo is loaded once they answer, so its exams are real bookings on the simulators.
run: $(VENV)/.installed
	@$(BIN)/socle sim tous & sims=$$!; \
	stop() { kill $$sims 2>/dev/null; wait $$sims 2>/dev/null; }; \
	trap stop EXIT; trap 'stop; exit 130' INT TERM; \
	$(BIN)/socle migrate && { $(BIN)/socle sim attendre; $(BIN)/socle demo --if-empty; } && \
	$(BIN)/socle serve --port $(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check core plugins tests bench

# The whole suite on SQLite, then every database test again on a throwaway PostgreSQL.
test: system-packages $(VENV)/.installed lint
	$(BIN)/python -m pytest -q -p no:cacheprovider --db sqlite
	$(BIN)/python -m pytest -q -p no:cacheprovider --db postgres -m "not nodb"

bench: system-packages $(VENV)/.installed
	$(BIN)/python bench/api_reads.py
	$(BIN)/python bench/slots.py
	$(BIN)/python bench/outbox.py
	$(BIN)/python bench/observability.py

clean:
	rm -rf $(VENV) .data
