# NGO Bridge. `make run` and `make test` set up everything they need on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCALES := bot/locales
POT := $(LOCALES)/messages.pot
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck check bench bench-broadcast bench-scheduler bench-directory extract translations compile clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

compile: $(STAMP)
	$(BIN)/pybabel -q compile -d $(LOCALES) -D messages

run: compile
	$(BIN)/python -m bot

test: compile
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy bot db tests bench

check: lint typecheck test

bench: compile
	$(BIN)/python -m bench.onboarding

bench-broadcast: compile
	$(BIN)/python -m bench.broadcast

bench-scheduler: compile
	$(BIN)/python -m bench.scheduler --per-row-jobs

bench-directory: compile
	$(BIN)/python -m bench.directory

# Re-extract messages from the code and merge them into every catalog.
extract: $(STAMP)
	$(BIN)/pybabel extract --no-location --sort-output --project=ngo-bridge \
		-k _:1,1t -k _:1,2 -k __ -k N_ -k plural:1,2 --input-dirs=bot -o $(POT)
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete -d $(LOCALES) -D messages -i $(POT)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
	find $(LOCALES) -name '*.mo' -delete
