"""Reads of the sandbox's generic state."""

from django.db.models import QuerySet

from skinspire.sandbox.models import SandboxMerchant, SandboxObject


def sandbox_object_get(
    *, merchant: SandboxMerchant, entity: str, object_id: str, for_update: bool = False
) -> SandboxObject | None:
    queryset = SandboxObject.objects.filter(merchant=merchant, entity=entity, object_id=object_id)
    if for_update:
        queryset = queryset.select_for_update()
    return queryset.first()


def sandbox_object_list(*, merchant: SandboxMerchant, entity: str, **filters) -> QuerySet[SandboxObject]:
    return SandboxObject.objects.filter(merchant=merchant, entity=entity, **filters).order_by(
        "-created_at", "-id"
    )


def sandbox_objects_recent(*, limit: int = 30) -> QuerySet[SandboxObject]:
    return SandboxObject.objects.select_related("merchant").order_by("-created_at", "-id")[:limit]
