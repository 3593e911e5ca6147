"""django-celery-beat's periodic task admin, with its form's one crash mended.

Its form's clean() reads cleaned_data["task"], which is absent once the field itself has
refused the posted name (longer than 200 characters, or with NUL): a KeyError, a 500. The
name is then "not given" to that clean(), which says so beside the field's own error.
"""

from django.contrib import admin
from django_celery_beat.admin import PeriodicTaskAdmin, PeriodicTaskForm
from django_celery_beat.models import PeriodicTask


class ScheduledTaskForm(PeriodicTaskForm):
    def clean(self):
        self.cleaned_data.setdefault("task", "")
        return super().clean()


class ScheduledTaskAdmin(PeriodicTaskAdmin):
    form = ScheduledTaskForm


if admin.site.is_registered(PeriodicTask):
    admin.site.unregister(PeriodicTask)
admin.site.register(PeriodicTask, ScheduledTaskAdmin)
