# The two commands of the README:
#   make run   — install everything, migrate, load the Seoul data, serve http://127.0.0.1:8000
#   make test  — install everything (incl. Debian's Chromium for browser tests), lint, test
# Both work from a fresh clone: the virtual environment is created on first use.
#   make serve — production: migrate, load the Seoul data, serve with gunicorn (settings
#                from the environment: docs/deployment.md)
# `make run PORT=8001` / `make serve PORT=8001` choose the port (default 8000, or
# SEONGGWA_BIND / SEONGGWA_PORT for serve).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: install run serve test lint bench browsers messages clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	SEONGGWA_DEBUG=$${SEONGGWA_DEBUG-1} $(BIN)/seonggwa run $(if $(PORT),--port $(PORT))

serve: install
	$(BIN)/seonggwa serve --load $(if $(PORT),--port $(PORT))

browsers:
	bash scripts/ensure-chromium.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: install browsers lint
	SEONGGWA_TESTING=1 $(BIN)/pytest $(PYTEST_ARGS)

# Benchmarks (bench/README.md): the engine, then the web pages at 138 / 10,000 / 50,000
# services, gunicorn under wrk (with DATABASE_URL=postgres://…), the engine's input forms.
# BENCH_ARGS passes options, e.g. make bench BENCH_ARGS="--only web --sizes 138,10000".
bench: install
	bash bench/ensure-wrk.sh
	$(BIN)/python -m bench $(BENCH_ARGS)

# After changing user-facing text: refresh the English catalogue, translate the new
# entries (tests/core/test_translations.py fails while any is empty or fuzzy), compile.
messages: install
	cd src/seonggwa && SEONGGWA_DEBUG=1 ../../$(BIN)/python -m seonggwa.manage makemessages -l en --ignore=.venv
	cd src/seonggwa && SEONGGWA_DEBUG=1 ../../$(BIN)/python -m seonggwa.manage compilemessages -l en

clean:
	rm -rf $(VENV) var/seonggwa.sqlite3
