# Targets match the README: `make run` starts the service, `make test` runs everything CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Rebuilt only when the dependency list or the pins change.
STAMP := $(VENV)/.installed
PG_TEST_URL ?= postgresql+psycopg://root@127.0.0.1:5432/test
# Extra options for `influmix serve`, e.g. make run ARGS='--port 9000 --no-demo'
ARGS ?=

.PHONY: venv run test lint test-sqlite test-postgres bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

run: venv
	$(BIN)/influmix serve $(ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/mypy bench
	$(BIN)/hadolint Dockerfile

test-sqlite: venv
	$(BIN)/pytest tests

test-postgres: venv
	INFLUMIX_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest tests/app tests/models tests/test_cli_catalog.py

test: lint test-sqlite test-postgres

bench: venv
	$(BIN)/python -m bench.http_overhead
	$(BIN)/python -m bench.import_speed
	$(BIN)/python -m bench.decode_speed
	$(BIN)/python -m bench.solver_scale

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
