# The two commands: `make run` (site on SQLite with demo data) and `make test` (whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app lms
CATALOGS := $(wildcard lms/translations/*/LC_MESSAGES/messages.po)

.PHONY: db setup lock run test checks test-postgres browser cluster-tools translations extract-messages bench clean

setup: $(VENV)/.installed translations
	@# Bytecode compiled once at install, as a deployment needs: a server (or a machine with
	@# PYTHONDONTWRITEBYTECODE set) would otherwise compile ~125 modules at every start.
	@$(BIN)/python -m compileall -q -j 0 lms bench migrations >/dev/null

# Every package comes from requirements.lock, each checked against its hashes; the project
# itself is then installed without touching the network (its build backend is in the lock).
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check
	touch $@

# Re-pin every package (after changing the dependencies in pyproject.toml, or to take newer
# releases) with pip-tools from a throwaway virtualenv; commit requirements.lock.
LOCK_TOOLS := .lock-tools
lock:
	$(PYTHON) -m venv $(LOCK_TOOLS)
	$(LOCK_TOOLS)/bin/pip install --quiet pip-tools
	$(LOCK_TOOLS)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --all-build-deps --extra test \
	  --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS) --output-file requirements.lock pyproject.toml
	rm -rf $(LOCK_TOOLS)

translations: $(CATALOGS:.po=.mo) lms/translations/cldr-tables.pickle

# The CLDR tables the site formats with, out of Babel's 5 MiB (lms/core/locale_tables.py).
lms/translations/cldr-tables.pickle: lms/core/locale_tables.py $(VENV)/.installed
	$(BIN)/python -c 'import sys; from lms.core.locale_tables import write; write(sys.argv[1])' $@

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ >/dev/null

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o lms/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i lms/translations/messages.pot -d lms/translations --no-fuzzy-matching

db: setup
	$(FLASK) db upgrade
	$(FLASK) content sync
	$(FLASK) demo

PORT ?= 5000

run: db
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# Debian's chromium for the browser tests; never a downloaded browser.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "warning: could not install chromium; browser tests will not run"; \
	  else echo "warning: chromium is not installed (apt-get install chromium); browser tests will not run"; fi; }

# Debian's nginx and pgbouncer for the cluster test (tests/test_cluster.py: three app servers
# behind nginx, through PgBouncer, sharing PostgreSQL); never started as services here.
cluster-tools:
	@{ command -v nginx || test -x /usr/sbin/nginx; } >/dev/null 2>&1 && \
	 { command -v pgbouncer || test -x /usr/sbin/pgbouncer; } >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx pgbouncer >/dev/null) \
	      || echo "warning: could not install nginx and pgbouncer; the cluster test will not run"; \
	  else echo "warning: nginx or pgbouncer is not installed (apt-get install nginx pgbouncer); the cluster test will not run"; fi; }

# Static checks are part of the test command: the layer contract (docs/architecture.md; a
# lower package importing a higher one fails) and ruff with bandit's security rules (S).
checks: setup
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check lms tests bench migrations

test: setup browser checks
	$(BIN)/pytest -q $(PYTEST_ARGS)

test-postgres: setup browser cluster-tools checks
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test} $(BIN)/pytest -q $(PYTEST_ARGS)

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) instance/*.sqlite3* .pytest_cache
