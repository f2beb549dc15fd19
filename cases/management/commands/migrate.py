"""``migrate`` as the owner role when ``DATABASE_OWNER_URL`` is set.

The application's own role (DATABASE_URL) owns nothing and may create no
table; the owner role runs the migrations, and after them the runtime role is
granted its privileges (cases.dbroles, docs/history.md "Roles"). Without
DATABASE_OWNER_URL this is Django's ``migrate`` unchanged.
"""
from django.core.management.commands.migrate import Command as DjangoMigrate

from cases.dbroles import as_owner


class Command(DjangoMigrate):
    def handle(self, *args, **options):
        with as_owner(using=options["database"]):
            return super().handle(*args, **options)
