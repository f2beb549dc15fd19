# Two commands: `make run` (set up and serve on SQLite with demo data) and
# `make test` (set up and run the whole suite). See README.md.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
HOST ?= 127.0.0.1:8000

.PHONY: run test install migrate demo messages lock clean breaks test-clock mutation

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

# Mutation testing of the rule functions (docs/testing.md); not part of `make test` or CI.
# mutmut copies the project into mutants/ and runs, per mutant, the tests that reach it
# (pyproject.toml, [tool.mutmut]); the score per module is printed at the end.
MUTATION_SCOPE = \
	'cases.selectors.x_visible_cases__mutmut_*' 'cases.selectors.x_get_visible_case__mutmut_*' \
	'cases.selectors.x_linked_cases__mutmut_*' \
	'flows.rules.*' \
	'flows.nodes.x*HumanStep*excluded_user_id__mutmut_*' \
	'flows.nodes.x_closure_queue__mutmut_*' 'flows.actions.x_approve_closure__mutmut_*' \
	'org.deadlines.*' \
	'org.calendar.x_is_year_known__mutmut_*' 'org.calendar.x_unknown_years__mutmut_*' \
	'org.calendar.x_is_working_day__mutmut_*' 'org.calendar.x_add_working_days__mutmut_*' \
	'org.calendar.x_working_days_between__mutmut_*' 'org.calendar.x_end_of_day__mutmut_*' \
	'org.calendar.x_due_after__mutmut_*' \
	'supervision.escalation_batch.x__fire__mutmut_*' 'supervision.escalation_batch.x__recipients__mutmut_*' \
	'cases.history.*' \
	'enforcement.documents.x_next_serial__mutmut_*' 'enforcement.documents.x_numbering_patterns__mutmut_*' \
	'enforcement.documents.x_format_number__mutmut_*' \
	'planning.reports.x_due_date__mutmut_*' 'planning.reports.x_kinds_due__mutmut_*' \
	'planning.reports.x_punctuality__mutmut_*' 'planning.reports.x_late_units__mutmut_*' \
	'planning.reports.x__submit__mutmut_*' \
	'cases.validators.*' 'register.inputs.x_clean_uscc__mutmut_*'
MUTATION_CHILDREN ?= 2
mutation: install
	-$(VENV)/bin/mutmut run --max-children $(MUTATION_CHILDREN) $(MUTATION_SCOPE) > mutants.log 2>&1
	$(PY) tests/mutation_score.py $(MUTATION_SCOPE)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles mutants mutants.log
