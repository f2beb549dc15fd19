"""PostgreSQL's own benchmark on the same server in the same run, so that the
report holds the machine's raw transaction rate beside the product's figures.

``pgbench -i -s SCALE`` initialises a database of its own (``<name>_pgbench``),
then ``pgbench -c K -j K -T SECONDS`` runs its TPC-B-like transaction (five
statements: three UPDATEs, a SELECT and an INSERT) and ``-S`` its select-only
one; the database is dropped afterwards. Skipped, with the reason, when the
database is not PostgreSQL or no pgbench is installed."""
import glob
import os
import re
import shutil
import subprocess
import time

FIGURES = {"tps": r"^tps = ([\d.]+) \(without initial connection time\)",
           "latency_avg_ms": r"^latency average = ([\d.]+) ms",
           "transactions": r"^number of transactions actually processed: (\d+)",
           "failed": r"^number of failed transactions: (\d+)"}


def binary() -> str | None:
    """pgbench on the PATH, else the newest under Debian's /usr/lib/postgresql/*/bin."""
    found = shutil.which("pgbench")
    if found:
        return found
    installed = sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"),
                       key=lambda path: int(re.sub(r"\D", "", path.split("/")[4]) or 0))
    return installed[-1] if installed else None


def parse(output: str) -> dict:
    """The figures of one pgbench run from its report on standard output."""
    found = {}
    for key, pattern in FIGURES.items():
        match = re.search(pattern, output, re.MULTILINE)
        if match:
            found[key] = float(match.group(1)) if "." in match.group(1) else int(match.group(1))
    return found


def run(*, database: dict, name: str, seconds: float, scale: int, clients: int, admin_sql) -> dict:
    """Initialise ``name`` at ``scale``, run both transactions for ``seconds``
    each with ``clients`` clients and as many threads, drop it. ``database``
    is Django's settings of the server (its role creates the database);
    ``admin_sql`` runs statements on the server's maintenance database."""
    if database["ENGINE"] != "django.db.backends.postgresql":
        return {"skipped": "not on PostgreSQL"}
    program = binary()
    if program is None:
        return {"skipped": "pgbench is not installed (neither on the PATH nor under /usr/lib/postgresql/*/bin)"}
    connect = ["-h", str(database.get("HOST") or "127.0.0.1"), "-p", str(database.get("PORT") or 5432),
               "-U", str(database["USER"])]
    environment = {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}
    seconds = max(1, round(seconds))
    threads = clients

    def pgbench(*arguments):
        done = subprocess.run([program, *connect, *arguments, name], env=environment, capture_output=True,
                              text=True, timeout=seconds + 600)
        if done.returncode != 0:
            raise RuntimeError(f"pgbench {' '.join(arguments)} failed: {done.stderr.strip()[-500:]}")
        return done.stdout

    admin_sql(f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    try:
        started = time.perf_counter()
        pgbench("-i", "-q", "-s", str(scale))
        init_s = round(time.perf_counter() - started, 1)
        runs = {}
        for label, extra in (("tpcb", []), ("select_only", ["-S"])):
            output = pgbench("-c", str(clients), "-j", str(threads), "-T", str(seconds), *extra)
            runs[label] = parse(output)
    finally:
        admin_sql(f'DROP DATABASE IF EXISTS "{name}"')
    version = subprocess.run([program, "--version"], capture_output=True, text=True).stdout.strip()
    return {"scale": scale, "clients": clients, "threads": threads, "seconds": seconds, "init_s": init_s,
            "tps": runs["tpcb"].get("tps"), "select_only_tps": runs["select_only"].get("tps"), "runs": runs,
            "program": version}
