"""Reconciliation runs, their per-row results, and the discrepancies accountants resolve.

A run is one execution for one gateway configuration and settlement date; a later run of
the same date supersedes it (its rows stay, for history). Items are one per row, gateway
or ours, each with the category the engine gave it and why. A discrepancy outlives runs:
it is keyed by what it is about (its fingerprint), so a re-run finds the same discrepancy
again, keeps its resolution, and closes the open ones it no longer sees.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, validate_email
from django.db import models

from skinspire.core.state_machine import StateMachine
from skinspire.reconciliation.engine import Category, Kind, Pass, RowStatus

AMOUNT: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}


def recipient_addresses(text: str) -> list[str]:
    """The addresses in a recipients field: separated by commas, semicolons or whitespace."""
    return [part for part in text.replace(",", " ").replace(";", " ").split() if part]


def validate_recipients(text: str) -> None:
    for address in recipient_addresses(text):
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(f"{address!r} is not an e-mail address.") from None


class MatchingSettings(models.Model):
    """How the engine matches for one configuration; defaults when a configuration has none."""

    configuration = models.OneToOneField(
        "gateways.GatewayConfiguration", on_delete=models.CASCADE, related_name="matching_settings"
    )
    date_window_days = models.PositiveSmallIntegerField(default=2)
    settlement_cycle_days = models.PositiveSmallIntegerField(
        default=2, help_text="Days after a payment by which the gateway settles it (Razorpay T+2, Paytm T+1)."
    )
    amount_tolerance = models.DecimalField(
        default=Decimal("1.00"), validators=[MinValueValidator(Decimal("0.00"))], **AMOUNT
    )
    fee_tolerance = models.DecimalField(
        default=Decimal("0.00"), validators=[MinValueValidator(Decimal("0.00"))], **AMOUNT
    )
    report_recipients = models.TextField(
        blank=True,
        validators=[validate_recipients],
        help_text="Finance e-mail addresses (comma-separated) that receive the report after each "
        "scheduled run of this configuration. Empty: no e-mail.",
    )

    tenant_hospital_field = "configuration__hospital"

    class Meta:
        verbose_name_plural = "matching settings"

    def __str__(self):
        return f"Matching settings of {self.configuration}"


class ReconciliationRun(models.Model):
    state_machine = StateMachine(
        ranks={"running": 0, "completed": 1, "failed": 1, "superseded": 2},
        moves={"running": {"completed", "failed"}, "completed": {"superseded"}},
        final={"failed", "superseded"},
    )

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "Schedule"
        MANUAL = "manual", "Started by hand"
        UPLOAD = "upload", "Uploaded report"

    hospital = models.ForeignKey("core.Hospital", on_delete=models.PROTECT, related_name="+")
    configuration = models.ForeignKey(
        "gateways.GatewayConfiguration", on_delete=models.PROTECT, related_name="reconciliation_runs"
    )
    run_date = models.DateField(help_text="The settlement date reconciled.")
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report_file_name = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=12, choices=state_machine.choices, default="running")
    error_message = models.TextField(blank=True)
    rules = models.JSONField(default=dict, help_text="The matching settings this run used.")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    gateway_row_count = models.PositiveIntegerField(default=0)
    system_row_count = models.PositiveIntegerField(default=0)
    category_counts = models.JSONField(default=dict)
    matched_count = models.PositiveIntegerField(default=0)
    discrepancy_count = models.PositiveIntegerField(default=0)
    match_rate = models.DecimalField(max_digits=5, decimal_places=4, default=Decimal("0"))
    gross = models.DecimalField(default=Decimal("0.00"), **AMOUNT)
    fees = models.DecimalField(default=Decimal("0.00"), **AMOUNT)
    tax = models.DecimalField(default=Decimal("0.00"), **AMOUNT)
    net = models.DecimalField(default=Decimal("0.00"), **AMOUNT)
    report_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the e-mail report of this run went out (once)."
    )

    class Meta:
        ordering = ["-run_date", "-pk"]
        indexes = [models.Index(fields=["configuration", "run_date", "status"])]
        constraints = [
            # The schedule reconciles a date once: a second delivery of its task (a Celery
            # redelivery, beat firing twice) cannot add a run beside one running or done, and
            # so cannot send the finance recipients a second report. A failed run may be
            # retried; people start runs of their own whenever they like.
            models.UniqueConstraint(
                fields=["configuration", "run_date"],
                condition=models.Q(trigger="schedule", status__in=["running", "completed"]),
                name="reconciliation_run_scheduled_once",
            )
        ]

    def __str__(self):
        return f"Reconciliation {self.run_date} ({self.configuration.name}) #{self.pk}"


class ReconciliationItem(models.Model):
    """One row of one run: a gateway line or a row of ours, with its category and the why."""

    class Side(models.TextChoices):
        GATEWAY = "gateway", "Gateway"
        SYSTEM = "system", "Ours"

    # No index of its own: the unique (run, side, key) below starts with the run, and serves
    # every query by run (admin's filter, resolutions, the cascade); a second index on the
    # same column cost a million-row run over a second of PostgreSQL CPU while storing.
    # No foreign-key constraint either: PostgreSQL checks one row at a time (a million-row run
    # spent 7 s of CPU at its commit); statement triggers (migration 0007) check every item
    # names a run, once per COPY, and refuse deleting a run that still has items.
    run = models.ForeignKey(
        ReconciliationRun, on_delete=models.CASCADE, related_name="items", db_index=False, db_constraint=False
    )
    side = models.CharField(max_length=7, choices=Side.choices)
    key = models.CharField(max_length=200)
    group = models.CharField(max_length=220, help_text="Rows matched together share a group.")
    category = models.CharField(
        max_length=20, choices=[(item.value, item.name.replace("_", " ").capitalize()) for item in Category]
    )
    match_pass = models.CharField(max_length=12, choices=[(item.value, item.value) for item in Pass])
    rule = models.TextField()
    score = models.DecimalField(max_digits=4, decimal_places=3)
    kind = models.CharField(max_length=10, choices=[(item.value, item.value) for item in Kind])
    row_status = models.CharField(max_length=8, choices=[(item.value, item.value) for item in RowStatus])
    gateway_id = models.CharField(max_length=100, blank=True)
    utr = models.CharField(max_length=100, blank=True)
    reference = models.CharField(max_length=200, blank=True)
    transaction_date = models.DateField()
    amount = models.DecimalField(**AMOUNT)
    fee = models.DecimalField(null=True, blank=True, **AMOUNT)
    tax = models.DecimalField(null=True, blank=True, **AMOUNT)
    amount_difference = models.DecimalField(**AMOUNT)
    fee_difference = models.DecimalField(**AMOUNT)

    # Ids come from a cache of 1,000 per session (migration 0011): unique, but neither dense nor
    # in insertion order across sessions; nothing reads them so.
    tenant_hospital_field = "run__hospital"

    class Meta:
        ordering = ["run", "group", "side", "key"]
        # No (side, key) index: every query of items names the run (or joins runs first, as the
        # "paired elsewhere" query and the settlement timeline do), which the unique index serves.
        constraints = [
            models.UniqueConstraint(fields=["run", "side", "key"], name="reconciliation_item_row_once")
        ]

    def __str__(self):
        return f"{self.get_side_display()} {self.key}: {self.category}"


class Discrepancy(models.Model):
    state_machine = StateMachine(
        ranks={"open": 0, "resolved": 1, "superseded": 1},
        moves={"open": {"resolved", "superseded"}},
        final={"resolved", "superseded"},
        labels={"superseded": "Closed by a later run"},
    )

    class Resolution(models.TextChoices):
        FORCE_MATCHED = "force_matched", "Force-matched"
        WRITTEN_OFF = "written_off", "Written off"
        IGNORED = "ignored", "Ignored"
        EXPLAINED = "explained", "Explained by a later run"
        LINKED = "linked", "Linked to a payment"
        PAYMENT_CREATED = "payment_created", "Missing payment created"

    # No foreign-key constraints on PostgreSQL for these four: checked per row, they cost a
    # million-payment run 1.3 s of CPU at its commit. Statement triggers (migration 0009) check
    # every stored discrepancy names existing ones and refuse deleting any still named; SQLite
    # keeps its foreign keys. No index on the configuration alone: the unique one starts with it.
    # Migration 0010 keeps the tenancy: the hospital is the configuration's, the runs are of the
    # configuration, and neither hospital nor configuration ever changes (also on SQLite).
    hospital = models.ForeignKey(
        "core.Hospital", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    configuration = models.ForeignKey(
        "gateways.GatewayConfiguration",
        on_delete=models.PROTECT,
        related_name="discrepancies",
        db_constraint=False,
        db_index=False,
    )
    fingerprint = models.CharField(max_length=64, help_text="What the discrepancy is about, hashed.")
    category = models.CharField(max_length=20, choices=ReconciliationItem._meta.get_field("category").choices)
    run_date = models.DateField(help_text="Settlement date of the run that last saw it.")
    first_run = models.ForeignKey(
        ReconciliationRun, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    last_run = models.ForeignKey(
        ReconciliationRun, on_delete=models.PROTECT, related_name="discrepancies", db_constraint=False
    )
    gateway_keys = models.JSONField(default=list)
    system_keys = models.JSONField(default=list)
    summary = models.TextField()
    amount_difference = models.DecimalField(**AMOUNT)
    status = models.CharField(max_length=12, choices=state_machine.choices, default="open")
    resolution = models.CharField(max_length=15, choices=Resolution.choices, blank=True)
    resolution_note = models.TextField(blank=True)
    linked_key = models.CharField(
        max_length=200,
        blank=True,
        help_text="The row of ours it was linked to, or the payment created for it (e.g. patient_payment:42).",
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "discrepancies"
        ordering = ["-run_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["configuration", "fingerprint"], name="discrepancy_once_per_fingerprint"
            ),
            # One payment accounts for one gateway line (services/resolutions.py checks it under
            # the payment's row lock, with a clear message; this is the database's own rule).
            # Over the hospital, not the configuration: a payment is the hospital's, whichever
            # gateway account's run found the line.
            models.UniqueConstraint(
                fields=["hospital", "linked_key"],
                condition=~models.Q(linked_key=""),
                name="discrepancy_payment_linked_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()} {self.run_date} #{self.pk}"
