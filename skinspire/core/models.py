from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Hospital(TimeStampedModel):
    name = models.CharField(max_length=200, unique=True)
    code = models.SlugField(max_length=40, unique=True)

    tenant_hospital_field = "pk"  # see skinspire.core.tenancy

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Branch(TimeStampedModel):
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="branches")
    name = models.CharField(max_length=200)
    code = models.SlugField(max_length=40)

    tenant_hospital_field = "hospital"  # see skinspire.core.tenancy

    class Meta:
        ordering = ["hospital__name", "name"]
        verbose_name_plural = "branches"
        constraints = [
            models.UniqueConstraint(fields=["hospital", "code"], name="branch_code_unique_per_hospital")
        ]

    def __str__(self):
        return f"{self.hospital.name} — {self.name}"


class User(AbstractUser):
    """Staff user. Belongs to one hospital and some of its branches (superusers: none)."""

    hospital = models.ForeignKey(
        Hospital, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    branches = models.ManyToManyField(Branch, blank=True, related_name="staff")

    tenant_hospital_field = "hospital"  # see skinspire.core.tenancy


class AuditLogImmutableError(Exception):
    """Audit entries are appended, never changed or deleted (a programming error, not a user's)."""


AUDIT_IMMUTABLE_MESSAGE = "Audit log entries are never changed or deleted."


class AuditEntryQuerySet(models.QuerySet):
    """Bulk update/delete bypass save()/delete(), so they are refused here as well."""

    def update(self, **kwargs):
        raise AuditLogImmutableError(AUDIT_IMMUTABLE_MESSAGE)

    def delete(self):
        raise AuditLogImmutableError(AUDIT_IMMUTABLE_MESSAGE)


class AuditEntry(models.Model):
    """One append-only audit record, linked to the previous record of its chain by hash.

    Written only by skinspire.core.audit.audit_entry_record; a database trigger refuses
    UPDATE, DELETE and TRUNCATE underneath (migrations/0003_audit_log.py, docs/security.md).
    """

    # One chain per hospital ("hospital:<id>") and one for entries of no hospital ("global").
    chain = models.CharField(max_length=40, editable=False)
    sequence = models.PositiveBigIntegerField(editable=False, help_text="Position in its chain, from 1.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    action = models.CharField(max_length=100, db_index=True)
    # PROTECT, not SET_NULL: SET_NULL would UPDATE an entry, which the trigger refuses.
    # Deactivate staff instead of deleting them.
    actor = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="audit_entries"
    )
    actor_username = models.CharField(max_length=150, blank=True, help_text="The actor's username then.")
    hospital = models.ForeignKey(
        Hospital, on_delete=models.PROTECT, null=True, blank=True, related_name="audit_entries"
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="object type",
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True, verbose_name="object")
    changes = models.JSONField(default=dict, blank=True)
    # Text, not an inet column: the hash covers exactly the string stored.
    ip_address = models.CharField(max_length=45, blank=True, verbose_name="IP address")
    message = models.TextField(blank=True)
    previous_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        # Read-only for everyone: no add/change/delete permissions exist to be granted.
        default_permissions = ("view",)
        constraints = [
            # Two writers that raced past the lock could not both take the same position.
            models.UniqueConstraint(fields=["chain", "sequence"], name="audit_entry_one_per_chain_position"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.action} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M:%S}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutableError(AUDIT_IMMUTABLE_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutableError(AUDIT_IMMUTABLE_MESSAGE)
