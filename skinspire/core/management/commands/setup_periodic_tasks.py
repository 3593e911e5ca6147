from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from skinspire.core.schedules import periodic_tasks_all


class Command(BaseCommand):
    help = "Create the periodic tasks each installed app declares in its schedules.py (keeps admins' edits)."

    @transaction.atomic
    def handle(self, *args, **options):
        for definition in periodic_tasks_all():
            if "crontab" in definition:
                schedule, _ = CrontabSchedule.objects.get_or_create(
                    timezone="Asia/Kolkata", **definition["crontab"]
                )
                schedule_fields = {"crontab": schedule}
            else:
                schedule, _ = IntervalSchedule.objects.get_or_create(
                    every=definition["every_seconds"], period=IntervalSchedule.SECONDS
                )
                schedule_fields = {"interval": schedule}
            _, created = PeriodicTask.objects.get_or_create(
                name=definition["name"], defaults={"task": definition["task"], **schedule_fields}
            )
            self.stdout.write(f"{'created' if created else 'kept'}: {definition['name']}")
