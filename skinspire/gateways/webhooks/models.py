"""The webhook inbox (dj-stripe's WebhookEventTrigger): every delivery, as it arrived.

One row per delivery that reached the receiver: the raw body and the headers that matter,
whether the signature verified, and what became of it. A verified row is also its own
outbox entry: `relay_pending` is set in the same transaction that stores it, and the relay
(skinspire.gateways.webhooks.relay) hands pending rows to Celery in batches, so the
receiver never talks to the broker while a gateway waits for its answer.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from skinspire.core.models import Hospital
from skinspire.core.state_machine import StateMachine
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.providers import schemas


class WebhookStatus(models.TextChoices):
    RECEIVED = "received"
    IGNORED = "ignored"  # verified, but no handler is registered for its object type
    FAILED = "failed"
    PROCESSED = "processed"
    REJECTED = "rejected"  # the signature did not verify, or the body was malformed


class WebhookEvent(models.Model):
    Status = WebhookStatus
    # received -> processed | ignored | failed; failed (retried) -> processed. A row that
    # was processed stays processed; reprocessing it runs the handler again (handlers are
    # idempotent) and records a repeated move. Rejected rows (bad signature) never move.
    state_machine = StateMachine(
        ranks={"received": 0, "ignored": 1, "failed": 2, "processed": 3, "rejected": 3},
        moves={
            "received": {"ignored", "failed", "processed"},
            "ignored": {"failed", "processed"},
            "failed": {"processed"},
        },
        final={"processed", "rejected"},
    )

    class Source(models.TextChoices):
        WEBHOOK = "webhook", "Webhook"
        STATUS_SYNC = "status_sync", "Status sync"

    provider = models.CharField(max_length=20, choices=schemas.provider_choices)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.WEBHOOK)
    configuration = models.ForeignKey(
        GatewayConfiguration,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="webhook_events",
        help_text="The account the delivery was addressed to; empty when it named none we know.",
    )
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The dedupe keys: the gateway's event id, and a digest of the signed content (a captured
    # body replayed under a new, unsigned event id is still the same content).
    event_id = models.CharField(max_length=200, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    event_type = models.CharField(max_length=100, blank=True, db_index=True)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=100, blank=True, db_index=True)
    body = models.BinaryField(help_text="The exact bytes received.")
    headers = models.JSONField(default=dict, blank=True)
    signature_valid = models.BooleanField(default=False)
    remote_ip = models.GenericIPAddressField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=state_machine.choices, default="received")
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    traceback = models.TextField(blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    relay_pending = models.BooleanField(default=False)

    tenant_hospital_field = "hospital"

    class Meta:
        ordering = ["-received_at", "-id"]
        permissions = [("reprocess_webhookevent", "Can reprocess webhook events")]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"],
                condition=~Q(event_id=""),
                name="webhook_event_unique_event_id",
            ),
            models.UniqueConstraint(
                fields=["provider", "content_hash"],
                condition=~Q(content_hash=""),
                name="webhook_event_unique_content",
            ),
        ]
        indexes = [
            # The relay's queue: small, because rows leave it as soon as they are handed over.
            models.Index(fields=["id"], condition=Q(relay_pending=True), name="webhook_event_relay_queue"),
            models.Index(fields=["status", "received_at"], name="webhook_event_status_received"),
        ]

    def __str__(self):
        return f"{self.provider} {self.event_type or 'rejected'} {self.event_id or self.pk} ({self.status})"

    @property
    def is_done(self) -> bool:
        return self.status in (self.Status.PROCESSED, self.Status.IGNORED, self.Status.REJECTED)
