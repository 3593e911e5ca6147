from datetime import date

from skinspire.reconciliation.engine import Kind, RowStatus, SystemRow
from skinspire.reconciliation.tests.source_app.models import TrialPayment


def trial_payment_rows(*, configuration, start: date, end: date) -> list[SystemRow]:
    payments = TrialPayment.objects.filter(configuration_id=configuration.pk, paid_on__range=(start, end))
    return [
        SystemRow(
            key=f"trial:{payment.pk}",
            gateway_id=payment.gateway_id,
            utr=payment.utr,
            amount=payment.amount,
            expected_fee=payment.expected_fee,
            status=RowStatus(payment.result),
            date=payment.paid_on,
            kind=Kind(payment.kind),
            reference=payment.reference,
        )
        for payment in payments
    ]
