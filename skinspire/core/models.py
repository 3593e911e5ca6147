from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
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
