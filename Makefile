# NGO Bridge. `make run` and `make test` set up everything they need on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCALES := bot/locales
POT := $(LOCALES)/messages.pot
STAMP := $(VENV)/.installed

.PHONY: run test test-fast test-dates lint typecheck check bench bench-broadcast bench-scheduler bench-directory bench-stats bench-webapp bench-cluster bench-posts extract compile lock clean

# Installed from requirements.lock (exact versions, hashes checked), then the project itself.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# Refresh requirements.lock after changing the dependencies in pyproject.toml.
lock: $(STAMP)
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --extra dev \
		--no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

compile: $(STAMP)
	$(BIN)/pybabel -q compile -d $(LOCALES) -D messages

run: compile
	$(BIN)/python -m bot

# Everything: the in-process tests spread over three workers (they mostly wait on the fake
# Bot API), then the tests that start `python -m bot` processes one at a time (their
# timings, kill -9 and leases, are kept away from the others' load).
test: compile
	$(BIN)/python -m pytest -q -n 3 -m "not process"
	$(BIN)/python -m pytest -q -m process

# The inner loop: unit and in-process end-to-end tests on SQLite; no PostgreSQL, no
# `python -m bot` processes, no browser (tests/conftest.py marks each test by what it needs).
test-fast: compile
	$(BIN)/python -m pytest -q -n 4 -m "not postgres and not process and not browser"

# The date-sensitive modules under fixed instants (Monday 10:05 in three zones, New Year,
# 29 February, a DST night, quiet hours…) with Debian's faketime: tools/test_dates.py.
test-dates: compile
	$(BIN)/python -m tools.test_dates

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy bot db testing tests bench

check: lint typecheck test

bench: compile
	$(BIN)/python -m bench.onboarding

bench-broadcast: compile
	$(BIN)/python -m bench.broadcast

bench-scheduler: compile
	$(BIN)/python -m bench.scheduler --per-row-jobs

bench-directory: compile
	$(BIN)/python -m bench.directory

bench-stats: compile
	$(BIN)/python -m bench.stats

bench-webapp: compile
	$(BIN)/python -m bench.webapp

bench-cluster: compile
	$(BIN)/python -m bench.cluster

bench-posts: compile
	$(BIN)/python -m bench.posts

# Re-extract messages from the code and merge them into every catalog (tools/extract.py:
# with nothing changed in the code, nothing changes in the catalogs).
extract: $(STAMP)
	$(BIN)/python -m tools.extract

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
	find $(LOCALES) -name '*.mo' -delete
