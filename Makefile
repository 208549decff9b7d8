# casemgr — `make run` sets up and serves the demo; `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
MAKEMESSAGES_IGNORE := --ignore=.venv --ignore=tests --ignore=docs --ignore=staticfiles \
	--ignore=locale-fragments --ignore=node_modules
# Two processes: the machine has two cores, and the suite is safe to run in parallel.
PYTEST_ARGS ?= -n 2

.PHONY: install run test lint format messages compilemessages clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

compilemessages: install
	$(MANAGE) compilemessages --ignore=.venv --ignore=locale-fragments -v0

run: install compilemessages
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@echo "casemgr is starting on http://127.0.0.1:8000/ (Ctrl+C stops it)"
	$(MANAGE) runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install compilemessages
	$(BIN)/ruff check .
	$(MANAGE) makemigrations --check --dry-run -v0
	$(BIN)/python -m pytest $(PYTEST_ARGS)

messages: install
	$(MANAGE) makemessages --locale=ru --locale=kk --no-obsolete $(MAKEMESSAGES_IGNORE)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .test-db.sqlite3

# Benchmarks (docs/benchmarks.md): a database of their own, grown to each size in turn.
BENCH_SIZES ?= 10000 100000 1000000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/casemgr_bench
.PHONY: bench bench-smoke
bench: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench --sizes $(BENCH_SIZES)

bench-smoke: install
	$(BIN)/python -m pytest tests/bench -q -p no:cacheprovider
