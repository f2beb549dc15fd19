"""Saving what changed: a model's ``save()`` writes only the columns whose
value differs from the one it was read with.

A step saves its task and its case once each. Written whole, the two rows
are some eighty columns that Django prepares one by one, of which a step
changes a handful; ``docs/performance.md`` measured the full rows at about a
tenth of a completion's Python. ``SavesChanges`` keeps the row as it was
read (``from_db``'s names and values, untouched until a save needs them),
and a plain ``save()`` of a read row passes Django, as ``update_fields``, the
fields whose value differs from the one read, among those that can be
compared safely (None, strings, numbers, dates and times), plus every field
it cannot compare: a JSON document, a file, a viewflow reference, and a field
that sets itself on save (``auto_now``). A new row, or a save that names its
fields, is saved as asked.

It is also what a row lock asks for: a field this code did not touch is not
written back, so a set-based ``UPDATE`` earlier in the transaction is not
overwritten by a stale copy in memory.
"""
import datetime as dt
import decimal
import functools
import uuid

from django.db import models

# values whose equality says the column is unchanged (a mutable or custom value is always written)
COMPARABLE = frozenset({type(None), str, int, float, bool, decimal.Decimal, dt.datetime, dt.date, dt.time,
                        dt.timedelta, uuid.UUID})
_MISSING = object()  # a field the row was read without


@functools.cache
def _fields(model) -> tuple[tuple, frozenset]:
    """``model``'s non-key concrete fields as (name, attname), and the attnames that are always written."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    always = frozenset(field.attname for field in fields
                       if getattr(field, "auto_now", False) or isinstance(field, models.FileField))
    return tuple((field.name, field.attname) for field in fields), always


class SavesChanges:
    """Mixin for a model (before ``models.Model`` in its bases): see the module's docstring."""

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # kept as read, compared only if the row is saved: a page that reads a hundred cases pays nothing
        instance.__dict__["_read_values"] = (field_names, values)
        return instance

    def _read(self) -> dict:
        """The row's read state, attname -> value (made from what ``from_db`` kept, on first use)."""
        read = self.__dict__["_read_values"]
        if isinstance(read, tuple):
            read = self.__dict__["_read_values"] = dict(zip(*read))
        return read

    def _remember(self, names=None) -> None:
        """Take the current values of the loaded fields (or of ``names``) as the row's read state."""
        if "_read_values" not in self.__dict__:
            self.__dict__["_read_values"] = {}
        read, state = self._read(), self.__dict__
        for name, attname in _fields(type(self))[0]:
            if names is None or name in names or attname in names:
                if attname in state:
                    read[attname] = state[attname]

    def changed_fields(self) -> list[str]:
        """The loaded fields to write: those that differ from the read state, and those it cannot compare."""
        fields, always = _fields(type(self))
        state, read = self.__dict__, self._read()
        changed = []
        for name, attname in fields:
            if attname not in state:
                continue  # a deferred field, never loaded nor set
            value, before = state[attname], read.get(attname, _MISSING)
            if (type(before) not in COMPARABLE or type(value) is not type(before) or value != before
                    or attname in always):
                changed.append(name)  # _MISSING, a JSON document or a custom value is never "unchanged"
        return changed

    def save(self, *args, **kwargs):
        if (not args and kwargs.get("update_fields") is None and not kwargs.get("force_insert")
                and not self._state.adding and "_read_values" in self.__dict__):
            kwargs["update_fields"] = self.changed_fields()
            if not kwargs["update_fields"]:
                return  # nothing changed: no statement (as Django's own save with empty update_fields)
        super().save(*args, **kwargs)
        self._remember(kwargs.get("update_fields"))

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        self._remember(fields)

