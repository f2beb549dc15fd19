"""The score of the last `make mutation` run: per module, the mutants killed,
survived, timed out (a detected mutant: the tests did not finish) and left
without a test, and every survivor by name
(`mutmut show NAME` prints its diff). Reads mutants/*.meta; the arguments are
the mutant name patterns of the run (Makefile, MUTATION_SCOPE)."""
import collections
import fnmatch
import json
import sys
from pathlib import Path

from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parent.parent


def main(patterns: list[str]) -> None:
    counts = collections.defaultdict(collections.Counter)
    survivors = []
    for meta in sorted((ROOT / "mutants").rglob("*.py.meta")):
        module = str(meta.relative_to(ROOT / "mutants")).removesuffix(".meta")
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            if patterns and not any(fnmatch.fnmatch(name, p) for p in patterns):
                continue
            status = status_by_exit_code[code]
            counts[module][status] += 1
            if status not in ("killed", "caught by type check"):
                survivors.append(f"{status:>9}  {name}")
    total = collections.Counter()
    print(f"{'module':34} {'killed':>6} {'survived':>8} {'timeout':>7} {'no test':>7} {'total':>5}  detected")
    for module, c in sorted(counts.items()):
        total.update(c)
        _row(module, c)
    _row("overall", total)
    if survivors:
        print("\nnot killed (mutmut show NAME):")
        print("\n".join(survivors))


def _row(label: str, c: collections.Counter) -> None:
    n = sum(c.values())
    print(f"{label:34} {c['killed']:>6} {c['survived']:>8} {c['timeout']:>7} {c['no tests']:>7} {n:>5}  "
          f"{100 * (c['killed'] + c['timeout']) / n if n else 0:5.1f}%")


if __name__ == "__main__":
    main(sys.argv[1:])
