# Fusion Partner Finder — one-command set-up, run and test.
#   make run    set up .venv, build the database if needed, start the app
#   make test   set up .venv, build the database if needed, run every test
#   make check  set up .venv, then every check but the browser tests: the CSVs, formatting,
#               lint, types, import contracts and the non-browser tests in parallel
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     := $(or $(FPF_DB_PATH),data/fusion_partners.duckdb)
PORT   := $(or $(STREAMLIT_SERVER_PORT),8501)
DATA   := $(wildcard data/*.csv) data/schema.sql
CORE   := $(wildcard src/fusion_partners/data/build.py src/fusion_partners/data/load.py src/fusion_partners/data/tables.py src/fusion_partners/data/search_index.py src/fusion_partners/data/roster.py src/fusion_partners/data/validation.py src/fusion_partners/search/text.py src/fusion_partners/search/terms.py src/fusion_partners/search/reading.py src/fusion_partners/data/places.py src/fusion_partners/data/supply_map.py)

.PHONY: run test build check lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

$(DB): $(DATA) $(CORE) $(STAMP)
	$(BIN)/python -m fusion_partners.data.build

build: $(STAMP)
	$(BIN)/python -m fusion_partners.data.build

check: $(STAMP)
	$(BIN)/python -m fusion_partners.data.build --check
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n auto -m "not e2e" --ignore=tests/e2e

run: $(STAMP) $(DB)
	$(BIN)/streamlit run app.py --server.port $(PORT)

test: check $(DB)
	$(BIN)/python -m pytest tests/e2e

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) $(DB)
