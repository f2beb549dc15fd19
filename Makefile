# Two commands: `make run` (set up and serve on SQLite with demo data) and
# `make test` (set up and run the whole suite). See README.md.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
HOST ?= 127.0.0.1:8000

.PHONY: run test install migrate demo messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements-dev.txt
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

messages: install
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=tests --no-obsolete --no-wrap
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
