# Two commands: `make run` and `make test`. Each sets up .venv on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python

.PHONY: run test chat lint typecheck pytest translations i18n-update bench clean

run: $(VENV)/.installed translations
	$(BIN)/sakpore-bot run

chat: $(VENV)/.installed translations
	$(BIN)/sakpore-bot chat

# pytest-xdist: the process-level tests spend most of their time waiting for the bot process,
# so a third worker on 2 CPUs runs the CPU-bound tests meanwhile, and work-stealing keeps the
# long tests from ending up last on one worker: about 2 min 50 s on 2 CPUs (two workers, each
# given its share up front: 3 min 35 s to 4 min; `make test` in a fresh clone passed the
# 5-minute mark once with them).
test: $(VENV)/.installed-dev translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -n 3 --dist worksteal

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

# Compile the committed .po catalogues into .mo files (the bot also compiles them in memory
# when a .mo is missing or older than its .po).
translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d locales -D messages

# Developer workflow after changing user-facing strings: re-extract and merge.
i18n-update: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output --omit-header -o locales/messages.pot bot handlers
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching --ignore-obsolete
	$(PY) tools/po_sync.py

bench: $(VENV)/.installed-dev
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b; done

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
