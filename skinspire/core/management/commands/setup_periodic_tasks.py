"""Create the periodic tasks each installed app declares in its schedules.py.

An admin's edits to an entry (schedule, enabled, arguments) are kept; the task it runs is
the code's, so an entry whose task moved is pointed at the new path. An entry running one
of our tasks (`skinspire.…`) that no installed app declares any more (its app was removed,
or is not installed here: the sandbox in production) is deleted, so beat never sends a
task no worker knows. Entries for other tasks (Celery's own, an admin's) are left alone.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from skinspire.core.schedules import PeriodicTaskDefinition, periodic_tasks_all

PROJECT_TASK_PREFIX = "skinspire."


def schedule_fields(definition: PeriodicTaskDefinition) -> dict:
    if "crontab" in definition:
        crontab, _ = CrontabSchedule.objects.get_or_create(timezone="Asia/Kolkata", **definition["crontab"])
        return {"crontab": crontab}
    interval, _ = IntervalSchedule.objects.get_or_create(
        every=definition["every_seconds"], period=IntervalSchedule.SECONDS
    )
    return {"interval": interval}


class Command(BaseCommand):
    help = "Create the periodic tasks each installed app declares in its schedules.py (keeps admins' edits)."

    @transaction.atomic
    def handle(self, *args, **options):
        definitions = periodic_tasks_all()
        for definition in definitions:
            self.stdout.write(f"{self._apply(definition)}: {definition['name']}")
        stale = PeriodicTask.objects.filter(task__startswith=PROJECT_TASK_PREFIX).exclude(
            name__in=[definition["name"] for definition in definitions]
        )
        for name in stale.order_by("name").values_list("name", flat=True):
            self.stdout.write(f"removed: {name}")
        stale.delete()

    def _apply(self, definition: PeriodicTaskDefinition) -> str:
        entry = PeriodicTask.objects.filter(name=definition["name"]).first()
        if entry is None:
            PeriodicTask.objects.create(
                name=definition["name"], task=definition["task"], **schedule_fields(definition)
            )
            return "created"
        if entry.task != definition["task"]:
            entry.task = definition["task"]
            entry.save(update_fields=["task"])
            return "updated"
        return "kept"
