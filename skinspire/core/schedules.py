"""Periodic tasks, defined in code (HackSoft's setup_periodic_tasks), each app in its own
`schedules.py`.

An app lists its tasks as PERIODIC_TASKS there; `manage.py setup_periodic_tasks` finds the
module of every installed app (skinspire.core.discovery) and creates or updates the
django-celery-beat entries; admins may then change their schedules in admin, and the
command keeps their edits. An app that is not installed (the sandbox, in production) gets no
entries. Each entry: a unique name, the dotted task path, and either a crontab dict (Indian
time) or an interval in seconds, e.g.
    {"name": "...", "task": "skinspire.x.tasks.y", "crontab": {"minute": "0", "hour": "2"}},
    {"name": "...", "task": "skinspire.x.tasks.z", "every_seconds": 60},
"""

from collections.abc import Iterable
from types import ModuleType
from typing import NotRequired, TypedDict

from django.core.exceptions import ImproperlyConfigured

from skinspire.core.discovery import app_modules


class PeriodicTaskDefinition(TypedDict):
    name: str
    task: str
    crontab: NotRequired[dict[str, str]]
    every_seconds: NotRequired[int]


# Core's own periodic tasks.
PERIODIC_TASKS: list[PeriodicTaskDefinition] = []


def periodic_task_definitions(modules: Iterable[ModuleType]) -> list[PeriodicTaskDefinition]:
    """Every module's PERIODIC_TASKS, in order; a name used twice is a mistake, refused."""
    definitions: list[PeriodicTaskDefinition] = []
    owners: dict[str, str] = {}
    for module in modules:
        for definition in module.PERIODIC_TASKS:
            if definition["name"] in owners:
                raise ImproperlyConfigured(
                    f"Periodic task name {definition['name']!r} is declared by {owners[definition['name']]} "
                    f"and {module.__name__}; names must be unique."
                )
            owners[definition["name"]] = module.__name__
            definitions.append(definition)
    return definitions


def periodic_tasks_all() -> list[PeriodicTaskDefinition]:
    """The periodic tasks of every installed app."""
    return periodic_task_definitions(app_modules("schedules"))
