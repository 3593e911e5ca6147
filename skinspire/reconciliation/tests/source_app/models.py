from decimal import Decimal

from django.db import models

from skinspire.reconciliation.engine import Kind, RowStatus


class TrialPayment(models.Model):
    """Shaped like a payout or patient payment as far as reconciliation reads one."""

    # A plain id, not a foreign key: apps without migrations get their tables before the
    # migrated apps do, so a constraint on gateways' table could not be created yet.
    configuration_id = models.BigIntegerField(db_index=True)
    gateway_id = models.CharField(max_length=100, blank=True)
    utr = models.CharField(max_length=100, blank=True)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    expected_fee = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, default=Decimal("0.00")
    )
    result = models.CharField(
        max_length=8, choices=[(item.value, item.value) for item in RowStatus], default="success"
    )
    paid_on = models.DateField()
    kind = models.CharField(
        max_length=10, choices=[(item.value, item.value) for item in Kind], default="collection"
    )
    reference = models.CharField(max_length=100, blank=True)

    def __str__(self):
        return f"Trial payment {self.pk}"
