"""A payment's fee from the settlement line that paid it out, where the gateway gave none before.

Paytm reports a payment's commission and GST only on its settlement list, so our Paytm
payments are captured without a fee, and the fee report could only count them as "fee not
reported". A run that pairs such a payment with its line by the gateway's own id, and finds
nothing else different, has the gateway's word on that payment's fee: it is written on the
payment (collections' service, audited). Weaker evidence (UTR, a close amount, one line for
several payments, whose fee cannot be divided between them) or any difference leaves the
fee unknown: a wrong fee would be written once and for good.
"""

from skinspire.collections.services.payments import patient_payment_fees_from_settlement
from skinspire.reconciliation.engine import Category, GatewayRow, Kind, Pass, Reconciliation, SystemRow
from skinspire.reconciliation.models import ReconciliationRun
from skinspire.reconciliation.sources.collections import PAYMENT_KEY_PREFIX


def settled_fees_record(
    *,
    run: ReconciliationRun,
    result: Reconciliation,
    gateway: dict[str, GatewayRow],
    system: dict[str, SystemRow],
) -> int:
    """How many payments' fees were filled in."""
    wanting = {
        key
        for key, row in system.items()
        if row.expected_fee is None and row.kind == Kind.COLLECTION and key.startswith(PAYMENT_KEY_PREFIX)
    }
    if not wanting:  # every payment's fee known (Razorpay reports it on capture): no pass over the outcomes
        return 0
    fees = {}
    for outcome in result.outcomes:
        if (
            outcome.category == Category.MATCHED
            and outcome.match_pass == Pass.GATEWAY_ID
            and len(outcome.system_keys) == 1
            and outcome.system_keys[0] in wanting
        ):
            line = gateway[outcome.gateway_keys[0]]
            fees[int(outcome.system_keys[0].removeprefix(PAYMENT_KEY_PREFIX))] = (line.fee, line.tax)
    if not fees:
        return 0
    return patient_payment_fees_from_settlement(
        configuration_id=run.configuration_id,
        fees=fees,
        source=f"its settlement line of {run.run_date:%d %b %Y}, matched by reconciliation run #{run.pk}",
    )
