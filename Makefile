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

# pytest -n 2 (pytest-xdist): the process-level tests spend most of their time waiting for the
# bot process, so two workers take the suite from about 4.5 to about 3 minutes on 2 CPUs.
test: $(VENV)/.installed-dev translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -n 2

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
