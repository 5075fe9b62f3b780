# Targets match the README: `make run` starts the service, `make test` runs everything CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Rebuilt only when the dependency list or the pins change.
STAMP := $(VENV)/.installed
PG_TEST_URL ?= postgresql+psycopg://root@127.0.0.1:5432/test
# Extra options for `influmix serve`, e.g. make run ARGS='--port 9000 --no-demo'
ARGS ?=

.PHONY: venv run test lint test-sqlite test-postgres bench clean client client-check browser

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt clients/python/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	# compat mode: a plain path entry, which mypy follows (the import hook of the default
	# editable mode hides the package from it)
	$(BIN)/python -m pip install --quiet --no-deps --config-settings editable_mode=compat \
		-e clients/python
	touch $@

run: venv
	$(BIN)/influmix serve $(ARGS)

lint: venv client-check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/mypy bench
	$(BIN)/hadolint Dockerfile
	$(BIN)/lint-imports
	$(BIN)/python scripts/function_length.py app optimizer

test-sqlite: venv browser
	$(BIN)/pytest tests

test-postgres: venv
	INFLUMIX_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest tests/app tests/models tests/cli/test_cli_catalog.py

test: lint test-sqlite test-postgres

bench: venv
	$(BIN)/python -m bench.http_overhead
	$(BIN)/python -m bench.import_speed
	$(BIN)/python -m bench.decode_speed
	$(BIN)/python -m bench.solver_scale
	$(BIN)/python -m bench.hard_variant
	$(BIN)/python -m bench.overlap
	# every family of requests at 1k and 10k beside pulp+highs; 50k and 100k: add --big
	$(BIN)/python -m bench.families
	$(BIN)/python -m bench.containment
	$(BIN)/python -m bench.risk
	$(BIN)/python -m bench.levers

# The planner's page is tested in Debian's Chromium (Playwright drives it; no browser download).
browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

# Regenerate the Python client in clients/python from the served OpenAPI document.
client: venv
	$(BIN)/python scripts/client.py generate

# Fails when the served document and clients/python have drifted apart.
client-check: venv
	$(BIN)/python scripts/client.py check

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
