# Two commands do everything on a fresh clone (Python >= 3.11 is all it needs):
#   make demo   install, start the embedded PostgreSQL, migrate, load the demo, serve
#   make test   install, then run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000

.PHONY: demo test install lint format messages bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# The web server and a job worker, as one command: Ctrl-C stops both. Links in
# e-mails follow the port (SITE_URL), unless SITE_URL is set.
demo: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py demo
	SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/python manage.py serve 127.0.0.1:$(PORT)

# On every core (pytest-xdist): each worker has its own test database.
test: install
	$(BIN)/pytest -n auto -m "not browser"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the catalogs after changing user-facing strings (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages -l fr -l ar -l en --ignore=.venv --ignore=var --ignore=tests --ignore=bench --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Bookings per second through the real booking service, 8 clients, on DATABASE_URL
# (default: the machine's PostgreSQL); the script works in a scratch database.
bench: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/technopark} $(BIN)/python bench/booking_throughput.py

clean:
	rm -rf $(VENV) var .pytest_cache
