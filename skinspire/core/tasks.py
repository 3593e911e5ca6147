from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

PING_KEY = "celery-ping:{token}"


@shared_task
def celery_ping(token: str) -> None:
    """Health check: a worker consuming from the configured broker records that it ran."""
    cache.set(PING_KEY.format(token=token), timezone.now().isoformat(), timeout=300)
