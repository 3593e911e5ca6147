"""Core reads."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from skinspire.core.models import StatusTransition


def transition_history(*, instance: models.Model) -> models.QuerySet[StatusTransition]:
    """Every status move recorded for `instance`, oldest first (core_transition_object_idx)."""
    return StatusTransition.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=str(instance.pk)
    ).select_related("actor")
