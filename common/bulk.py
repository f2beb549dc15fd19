"""Writing many rows without model instances.

``bulk_create`` builds a model instance per row and prepares every field of
it; the escalation scan writes tens of thousands of rows in a catch-up, where
that costs more than the database's own work. ``insert_rows`` takes plain
tuples and adapts only the columns the driver cannot take as they are (JSON;
date-times on SQLite), in statements of ``ROWS_PER_STATEMENT``.
"""
from collections.abc import Sequence

from django.db import connection, models

ROWS_PER_STATEMENT = 500


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """INSERT ``rows`` (tuples in the order of ``columns``, by attname) into ``model``'s table."""
    if not rows:
        return
    meta = model._meta
    fields = [meta.get_field(column) for column in columns]
    adapters = [_adapter(field) for field in fields]
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            chunk = rows[start:start + ROWS_PER_STATEMENT]
            params = [adapt(value) if adapt else value for row in chunk for adapt, value in zip(adapters, row)]
            cursor.execute(head + ", ".join([one] * len(chunk)), params)


def _adapter(field: models.Field):
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, models.DateTimeField) and connection.vendor != "postgresql":
        return connection.ops.adapt_datetimefield_value
    return None
