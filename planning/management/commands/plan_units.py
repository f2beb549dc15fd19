"""Rebuild the units of the plan's key tasks: the collectives expanded again
(相关街道办事处 read from the enterprise register). Beat runs it nightly; run it
after a large register import to see the result at once."""
from django.core.management.base import BaseCommand
from django.db import transaction

from planning.models import PlanTaskAgency
from planning.plan import load_plan_tasks


class Command(BaseCommand):
    help = "Rebuild the units of the plan's key tasks (collectives expanded; related streets from the register)."

    def handle(self, *args, **options):
        with transaction.atomic():
            tasks = load_plan_tasks()
        self.stdout.write(f"{tasks} key tasks, {PlanTaskAgency.objects.count()} unit links")
