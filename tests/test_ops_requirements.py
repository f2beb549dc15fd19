"""What production installs: only what it runs, every package pinned with its hashes."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_PACKAGES = {"pytest", "pytest-django", "playwright", "hypothesis", "schemathesis", "factory-boy", "faker",
                 "time-machine", "pyee", "greenlet"}


def locked(path: Path) -> dict[str, str]:
    """{name: version} of a lock file, each entry checked to carry a hash."""
    text = path.read_text()
    entries = re.findall(r"^([A-Za-z0-9._-]+)==([^\s\\\\;]+)(.*?)(?=^\S|\Z)", text, re.M | re.S)
    assert entries, f"{path.name} holds no pinned package"
    for name, version, rest in entries:
        assert "--hash=sha256:" in rest, f"{name}=={version} in {path.name} has no hash"
    # nothing unpinned: every requirement line is name==version
    for line in text.splitlines():
        if line and not line.startswith((" ", "#", "--")):
            assert "==" in line, f"unpinned in {path.name}: {line}"
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version, _ in entries}


def direct(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            name, version = line.split("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_the_production_lock_has_no_test_or_browser_package():
    production = locked(ROOT / "requirements.lock")
    assert not TEST_PACKAGES & set(production), sorted(TEST_PACKAGES & set(production))
    assert {"django", "gunicorn", "celery", "psycopg2-binary", "whitenoise"} <= set(production)


def test_the_locks_pin_what_the_requirements_name():
    production, development = locked(ROOT / "requirements.lock"), locked(ROOT / "requirements-dev.lock")
    for name, version in direct(ROOT / "requirements.txt").items():
        assert production.get(name) == version and development.get(name) == version, name
    for name, version in direct(ROOT / "requirements-dev.txt").items():
        assert development.get(name) == version, name
    # the development lock is the production one plus the tests' packages, at the same versions
    assert all(development.get(name) == version for name, version in production.items())


def test_make_installs_from_the_lock_and_python_is_stated():
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes -r requirements-dev.lock" in makefile
    assert 'requires-python = ">=3.11' in (ROOT / "pyproject.toml").read_text()
    assert "GNU AFFERO GENERAL PUBLIC LICENSE" in (ROOT / "LICENSE").read_text()
