"""The sandbox's next lifecycle step, run by Celery after the current one commits."""

from django.conf import settings
from django.db import transaction


def schedule_step(*, task_name: str, object_id: str) -> None:
    def enqueue() -> None:
        from skinspire.sandbox.paytm import tasks

        getattr(tasks, task_name).apply_async(args=[object_id], countdown=settings.SANDBOX_STEP_SECONDS)

    transaction.on_commit(enqueue)
