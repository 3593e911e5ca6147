"""Modules each project app brings under an agreed name, found the way the commands need them.

`seed_demo` loads every app's `demo.py` and `setup_periodic_tasks` every app's
`schedules.py`. An app installed only in some environments (the sandbox, in development and
tests) brings its own, so no other module names it, and where it is not installed its demo
rows and periodic tasks do not exist.
"""

from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

from django.apps import apps

PROJECT_PACKAGE = "skinspire."


def app_modules(module_name: str) -> list[ModuleType]:
    """`<app>.<module_name>` of every installed project app that has one, in INSTALLED_APPS order."""
    found = []
    for app_config in apps.get_app_configs():
        if not app_config.name.startswith(PROJECT_PACKAGE):
            continue
        dotted_path = f"{app_config.name}.{module_name}"
        if find_spec(dotted_path) is not None:
            found.append(import_module(dotted_path))
    return found
