# Two commands: `make run` (set up and serve on SQLite with demo data) and
# `make test` (set up and run the whole suite). See README.md.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
HOST ?= 127.0.0.1:8000

.PHONY: run test install migrate demo messages lock clean breaks test-clock

# Installs exactly the locked versions, each checked against its hash (Python 3.11,
# pyproject.toml). Production installs requirements.lock alone (docs/operations.md).
$(VENV)/.installed: requirements.lock requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q --require-hashes -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo && $(PY) manage.py seed_register_demo && $(PY) manage.py seed_demo_cases \
	  || echo "the demo seed refused (see above); serving without (all) demo data"

run: demo
	@echo "Serving on http://$(HOST)/  (demo users: emergency_officer1 ... password nankai-demo)"
	$(PY) manage.py runserver $(HOST)

test: install
	$(PY) -m pytest -q $(PYTEST_ARGS)

# Outside CI (docs/testing.md): the rules broken on purpose, each must fail its tests ...
breaks: install
	$(PY) -m tests.breaks

# ... and the whole suite with the clock moved to another day (any day of 2027 passes).
CLOCK ?= 2027-02-10
test-clock: install
	$(PY) -m pytest -q --clock $(CLOCK) $(PYTEST_ARGS)

messages: install
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests --no-obsolete --no-wrap
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

# After editing requirements.txt or requirements-dev.txt: lock them again, with hashes.
UV_COMPILE = $(VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-manylinux_2_28 --no-header --emit-index-url
lock:
	test -x $(VENV)/bin/uv || $(VENV)/bin/pip install -q uv==0.13.9
	$(UV_COMPILE) requirements.txt -o requirements.lock
	$(UV_COMPILE) requirements-dev.txt -o requirements-dev.lock

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
