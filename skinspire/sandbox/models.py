"""The sandbox gateway's own state: what Razorpay's or Paytm's servers would hold.

Entities are stored as the JSON the real API returns (`body`), so the views answer with
the real shapes and the lifecycle code edits the same document the API serves.
"""

from django.db import models
from django.db.models import Q


class SandboxProvider(models.TextChoices):
    RAZORPAY = "razorpay", "Razorpay"
    PAYTM = "paytm", "Paytm"


class SandboxMerchant(models.Model):
    """A merchant account on the sandbox: its API keys and where its webhooks go.

    Razorpay: key_id / key_secret (Basic auth), webhook_secret, account_number (RazorpayX).
    Paytm: key_id is the MID, key_secret the merchant key, account_number the subwallet GUID.
    These are the sandbox's demo values, never real credentials.
    """

    provider = models.CharField(max_length=20, choices=SandboxProvider.choices)
    name = models.CharField(max_length=100)
    key_id = models.CharField(max_length=100, unique=True)
    key_secret = models.CharField(max_length=200)
    webhook_secret = models.CharField(max_length=200, blank=True)
    webhook_url = models.URLField(blank=True, max_length=500)
    account_number = models.CharField(max_length=100, blank=True)
    balance_paise = models.BigIntegerField(default=10_000_000_00, help_text="Payout balance, in paise.")
    # Chaos knobs for webhook delivery: {"duplicate": bool, "out_of_order": bool,
    # "delay_seconds": int, "drop": bool}.
    webhook_chaos = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.name} ({self.provider}, {self.key_id})"


class SandboxObject(models.Model):
    """One gateway entity (order, payment, payout, link, refund, settlement, ...)."""

    merchant = models.ForeignKey(SandboxMerchant, on_delete=models.CASCADE, related_name="sandbox_objects")
    entity = models.CharField(max_length=40, db_index=True)
    object_id = models.CharField(max_length=64, unique=True)
    parent_id = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(max_length=40, blank=True, db_index=True)
    body = models.JSONField(default=dict)
    idempotency_key = models.CharField(max_length=100, blank=True)
    request_hash = models.CharField(max_length=64, blank=True)
    # The sandbox's own bookkeeping that the real API never shows (when a payment was
    # captured, which settlement took it, the day a recon item belongs to), kept out of
    # `body` so that `body` stays exactly the entity the API returns.
    meta = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "entity", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="sandbox_idempotency_key_unique",
            )
        ]

    def __str__(self):
        return f"{self.entity} {self.object_id} ({self.status})"


class SandboxWebhookDelivery(models.Model):
    """One event the sandbox sends to a merchant's webhook URL, with every attempt's outcome."""

    class Status(models.TextChoices):
        PENDING = "pending"
        DELIVERED = "delivered"
        FAILED = "failed"  # gave up after the last retry
        DROPPED = "dropped"  # chaos: never sent

    merchant = models.ForeignKey(SandboxMerchant, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=64, db_index=True)
    event_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    url = models.URLField(max_length=500)
    body = models.TextField(help_text="The exact bytes sent (and signed), as UTF-8 text.")
    headers = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "sandbox webhook deliveries"

    def __str__(self):
        return f"{self.event_type} {self.event_id} → {self.status}"
