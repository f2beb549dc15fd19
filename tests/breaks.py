"""Rules broken on purpose, one at a time: each must make a named test fail.

Each break below was once a flipped condition that the whole suite let pass.
``make breaks`` first runs the named tests as they are (they must pass), then
for each break copies the working tree, applies the break, runs the tests
named for it and expects them to fail; it prints a line per break and exits
non-zero if a break survives or its text is no longer in the code (the suite's
``test_every_break_still_applies`` checks that too, on every run). This is the
hand-written counterpart of ``make mutation`` (docs/testing.md).
"""
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Break:
    rule: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


BREAKS = (
    Break("the credit code's check character (GB 32100-2015), as the factories compute it",
          "cases/validators.py", "return USCC_ALPHABET[(31 - total % 31) % 31]", "return USCC_ALPHABET[total % 31]",
          ("tests/test_known_answers.py",)),
    Break("a report submitted by the end of the 20th is on time",
          "planning/reports.py", 'state = "on_time" if submitted <= deadline else "late"',
          'state = "on_time" if submitted > deadline else "late"', ("tests/test_rules_punctuality.py",)),
    Break("four eyes on assignment: the rectifier is not assigned the review",
          "flows/services.py", "if task.flow_task.excluded_user_id(task) == assignee.pk:", "if False:",
          ("tests/test_flows_hazard.py",)),
    Break("the history hash covers the link to the previous row",
          "cases/history.py", '"to_state", "note", "data", "prev_hash")', '"to_state", "note", "data")',
          ("tests/test_rules_history_chain.py",)),
    Break("a task paused after the scan chose it fires nothing",
          "supervision/escalation_batch.py", "if status in OPEN_STATUSES and paused_at is None]",
          "if status in OPEN_STATUSES]", ("tests/test_supervision_escalation.py",)),
    Break("each rung fires once",
          "supervision/escalation_batch.py", "if level > task.escalation_level and at is not None",
          "if at is not None", ("tests/test_supervision_escalation.py",)),
    Break("only the safety office reviews a report (page and API)",
          "planning/reports.py", 'if not actor.is_supervisor:\n        raise NotPermitted(_("Only the safety office reviews',
          'if False:\n        raise NotPermitted(_("Only the safety office reviews',
          ("tests/test_authorization_matrix.py::test_authorization_matrix[planning:report-review]",)),
    Break("only the safety office warns a late unit (page and API)",
          "planning/reports.py", 'if not actor.is_supervisor:\n        raise NotPermitted(_("Only the safety office sends',
          'if False:\n        raise NotPermitted(_("Only the safety office sends',
          ("tests/test_authorization_matrix.py::test_authorization_matrix[planning:late-warn]",)),
    Break("the fuzz suites say FAILED when a request failed",
          "tests/fuzzing.py", "failed = sorted(set(self.sent) - self.passed)", "failed = []",
          ("tests/test_fuzz_api.py::test_the_tally_names_a_failed_endpoint_and_counts_only_passed_ones",)),
)


def missing() -> list[str]:
    """The breaks whose text is not exactly once in its file any more."""
    return [b.rule for b in BREAKS if (ROOT / b.path).read_text(encoding="utf-8").count(b.old) != 1]


def _copy_tree(target: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                           capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def run(python: str = sys.executable) -> int:
    gone = missing()
    for rule in gone:
        print(f"NOT FOUND  {rule}: its text is not in the code any more; update tests/breaks.py")
    # the control: unbroken, the same tests pass (a test failing anyway would "catch" every break)
    control = subprocess.run([python, "-m", "pytest", "-q", "-p", "no:randomly",
                              *sorted({test for item in BREAKS for test in item.tests})],
                             cwd=ROOT, capture_output=True, text=True)
    if control.returncode != 0:
        print(f"the tests fail without any break (pytest exit {control.returncode}):\n{control.stdout[-2000:]}")
        return 1
    survived = []
    for number, item in enumerate(BREAKS, start=1):
        with tempfile.TemporaryDirectory(prefix="break-") as tmp:
            tree = Path(tmp)
            _copy_tree(tree)
            target = tree / item.path
            target.write_text(target.read_text(encoding="utf-8").replace(item.old, item.new, 1), encoding="utf-8")
            env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
            result = subprocess.run([python, "-m", "pytest", "-q", "-x", "-p", "no:randomly", *item.tests],
                                    cwd=tree, env=env, capture_output=True, text=True)
        caught = result.returncode == 1  # tests ran and failed (2-5: interrupted, usage, nothing collected)
        print(f"{'caught  ' if caught else 'SURVIVED'}  {number}. {item.rule} (pytest exit {result.returncode})")
        if not caught:
            survived.append(item.rule)
            print(result.stdout[-2000:])
    print(f"{len(BREAKS) - len(survived) - len(gone)} of {len(BREAKS)} breaks caught")
    return 1 if survived or gone else 0


if __name__ == "__main__":
    sys.exit(run())
