"""SQL that a migration runs per database vendor (triggers, table storage):
the project runs on PostgreSQL and SQLite, and each statement list is
written in one dialect. Used by the history's append-only triggers (cases)
and the task box mirror (flows)."""


def per_vendor(statements: dict[str, list[str]], *, only: tuple[str, ...] | None = None):
    """A ``RunPython`` function that executes ``statements[vendor]`` for the
    connection's vendor (nothing for a vendor outside ``only``). A vendor with
    no statements is refused: a guarantee the database should give (a
    trigger) must not be skipped without a word."""
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise RuntimeError(f"no SQL written for the {vendor} database: the project runs on "
                               f"{' and '.join(sorted(statements))}")
        if only is None or vendor in only:
            for statement in statements[vendor]:
                schema_editor.execute(statement)

    return run
