"""The shape of the code (docs/architecture.md): dependencies point one way,
no signal hides a call from a lower app to a higher one, a case kind is one
module, and no file cites a document outside the repository."""
import ast
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# from the bottom up: an app may import only the ones before it
LAYERS = ["common", "org", "cases", "enforcement", "flows", "supervision", "register", "planning", "desk", "bench", "config"]
RANK = {app: rank for rank, app in enumerate(LAYERS)}


def modules():
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            yield app, path


def imported_apps(path: Path) -> set[tuple[str, int]]:
    """(app, line) of every absolute import of one of our apps in the module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {(name.split(".")[0], node.lineno) for name in names if name.split(".")[0] in RANK}
    return found


def test_every_import_points_down():
    upward = [
        f"{path.relative_to(ROOT)}:{line} imports {target} (above {app})"
        for app, path in modules()
        for target, line in imported_apps(path)
        if RANK[target] > RANK[app]
    ]
    assert not upward, "\n".join(upward)


def test_the_layer_check_would_see_an_upward_import(tmp_path):
    module = tmp_path / "sneaky.py"
    module.write_text("from desk.views import cases\nimport org.models\n", encoding="utf-8")
    assert imported_apps(module) == {("desk", 1), ("org", 2)}


SIGNALS = {"pre_save", "post_save", "pre_delete", "post_delete", "m2m_changed", "post_migrate", "pre_migrate",
           "pre_transition", "post_transition", "request_started", "request_finished", "user_logged_in",
           "user_logged_out", "user_login_failed"}


def signal_connections(path: Path) -> list[tuple[int, str]]:
    """(line, sender expression) of every ``.connect(..., sender=...)`` and ``@receiver(..., sender=...)``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            is_connect = (isinstance(node.func, ast.Attribute) and node.func.attr == "connect"
                          and isinstance(node.func.value, ast.Name) and node.func.value.id in SIGNALS)
            is_receiver = isinstance(node.func, ast.Name) and node.func.id == "receiver"
            if is_connect or is_receiver:
                sender = next((k.value for k in node.keywords if k.arg == "sender"), None)
                found.append((node.lineno, ast.unparse(sender) if sender is not None else ""))
    return found


def test_signals_connect_only_to_their_own_app():
    """A receiver listens to its own app's models only (the reference caches
    clearing themselves, migrate's own hook), never to a lower app's: that
    would be a call from the lower app to the higher one that no reader of
    the lower app can see."""
    strangers = []
    for app, path in modules():
        source = path.read_text(encoding="utf-8")
        for line, sender in signal_connections(path):
            own = sender == "self" or sender in _models_of_own_app(source)
            if not own:
                strangers.append(f"{path.relative_to(ROOT)}:{line} connects to {sender or 'every sender'}")
    assert not strangers, "\n".join(strangers)


def _models_of_own_app(source: str) -> set[str]:
    """Names the module imports from its own app's ``.models``, or the ``model`` loop variable over them."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module == "models":
            names |= {alias.asname or alias.name for alias in node.names}
    if names:
        names.add("model")
    return names


def test_each_case_kind_is_one_module():
    """The kinds are found, not listed: nothing outside flows/kinds/ names a
    kind's flow class or its module (the registry derives every list)."""
    from flows.registry import kinds

    found = kinds()
    assert set(found) >= {"hazard", "illegal_site", "waste_referral"}
    flows = [kind.flow.__name__ for kind in found.values()]
    outside = subprocess.run(
        ["git", "grep", "-n", "-E", "|".join(flows + [f"kinds\\.{code}\\b" for code in found]), "--",
         "*.py", "*.html", ":!flows/kinds/", ":!tests/", ":!*/migrations/*"],
        cwd=ROOT, capture_output=True, text=True,
    ).stdout
    assert outside == "", outside


# the brief's documents outside the repository, spelled in parts so this test does not cite them itself
OUTSIDE = ["DESIGN" + ".md", "VIEWFLOW" + "-NOTES", ".." + "/shared"]


@pytest.mark.parametrize("pattern", OUTSIDE)
def test_no_file_cites_a_document_outside_the_repository(pattern):
    found = subprocess.run(["git", "grep", "-n", "-F", pattern, "--", ".", ":!tests/test_architecture.py"],
                           cwd=ROOT, capture_output=True, text=True).stdout
    assert found == "", found
