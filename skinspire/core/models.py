from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
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
        indexes = [
            # Admin's search by an object's id (an entry of no object is never looked up by it):
            # without it the search reads the whole log (2-2.7 s at a year's volume).
            models.Index(fields=["object_id"], condition=~Q(object_id=""), name="audit_entry_object_id"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.action} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M:%S}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutableError(AUDIT_IMMUTABLE_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutableError(AUDIT_IMMUTABLE_MESSAGE)


class StatusTransition(models.Model):
    """One status move of any model with a state machine (skinspire.core.transitions),
    applied or ignored as stale/repeated. Written once, never changed."""

    class Outcome(models.TextChoices):
        APPLIED = "applied"
        IGNORED = "ignored"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    # Text, so any primary key fits (Django's admin LogEntry does the same).
    object_id = models.CharField(max_length=64)
    content_object = GenericForeignKey("content_type", "object_id")
    occurred_at = models.DateTimeField(default=timezone.now)
    # For an ignored move, from_state is the state the row stayed in.
    from_state = models.CharField(max_length=40)
    to_state = models.CharField(max_length=40)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reason = models.TextField()
    # Who or what asked: a person, or a gateway event ("webhook:razorpay:evt_123").
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    event_reference = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "occurred_at"], name="core_transition_object_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=["applied", "ignored"]), name="core_transition_outcome_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(actor__isnull=False) | ~models.Q(event_reference=""),
                name="core_transition_has_actor_or_event",
            ),
            models.CheckConstraint(condition=~models.Q(reason=""), name="core_transition_has_reason"),
        ]

    def __str__(self):
        return f"{self.from_state} -> {self.to_state} ({self.outcome})"

    @property
    def applied(self) -> bool:
        return self.outcome == self.Outcome.APPLIED
