"""Nothing a Paytm configuration stores encrypted appears anywhere else: payouts run through
the sandbox (accepted, followed to success, a bank rejection, a repeat, a status query and
a refused request), then no transaction-log row, no log line, no printed line and no row
of any of our tables holds any of the configuration's credentials.

Before the fix the payout subwallet GUID was stored in clear in every disbursal's logged
request body, and the MID in every logged answer.
"""

import io
import logging
from decimal import Decimal

import pytest
from django.core import serializers
from django.core.management import call_command

from skinspire.gateways.errors import GatewayAPIError
from skinspire.gateways.manager import run_with_fallback
from skinspire.gateways.models import GatewayTransactionLog
from skinspire.gateways.providers.interface import BankAccount, PayoutStatus
from skinspire.gateways.tests.distinct_secrets import PAYTM_SECRETS, bank_payout, leaks, paytm_configuration

pytestmark = pytest.mark.django_db

SECRETS = list(PAYTM_SECRETS.values())
REJECTED = BankAccount(holder_name="Medi Supply Co", ifsc="HDFC0000123", account_number="50100012340000")


def pay(hospital, operation):
    result, _ = run_with_fallback(
        hospital=hospital, capability="payouts", provider="paytm", operation=operation
    )
    return result


def test_paytm_payouts_leave_no_credential_behind(
    hospital, caplog, capsys, django_capture_on_commit_callbacks
):
    paytm_configuration(hospital=hospital, is_default=True)
    caplog.set_level(logging.DEBUG)

    with django_capture_on_commit_callbacks(execute=True):  # the sandbox's steps run after commit
        created = pay(hospital, lambda gateway, _: gateway.create_payout(bank_payout("SKNSEC0001")))
        pay(
            hospital,
            lambda gateway, _: gateway.create_payout(bank_payout("SKNSEC0002", destination=REJECTED)),
        )
    repeated = pay(hospital, lambda gateway, _: gateway.create_payout(bank_payout("SKNSEC0001")))
    fetched = pay(hospital, lambda gateway, _: gateway.fetch_payout(reference_id="SKNSEC0002"))
    with pytest.raises(GatewayAPIError) as refused:
        pay(
            hospital,
            lambda gateway, _: gateway.create_payout(bank_payout("SKNSEC0003", amount=Decimal("0.50"))),
        )

    assert (created.status, repeated.status, fetched.status) == (
        PayoutStatus.PENDING,
        PayoutStatus.PROCESSED,
        PayoutStatus.FAILED,
    )
    rows = GatewayTransactionLog.objects.order_by("id")
    assert [(row.operation, row.outcome) for row in rows] == [
        ("create_payout", "success"),
        ("create_payout", "success"),
        ("create_payout", "success"),
        ("fetch_payout", "success"),
        ("fetch_payout", "success"),
        ("create_payout", "error"),
    ]
    assert rows[0].request_body["subwalletGuid"] == "[REDACTED]"
    assert rows[0].response_body["result"]["mid"] == "[REDACTED]"
    printed = capsys.readouterr()
    texts = {
        "transaction log": serializers.serialize("json", rows),
        "log lines": caplog.text,
        "printed": printed.out + printed.err,
        "error": f"{refused.value} {refused.value.extra}",
    }
    assert {name: leaks(text, SECRETS) for name, text in texts.items()} == dict.fromkeys(texts, [])


def test_no_table_of_ours_holds_a_credential_in_clear(hospital, django_capture_on_commit_callbacks):
    paytm_configuration(hospital=hospital, is_default=True)
    with django_capture_on_commit_callbacks(execute=True):
        pay(hospital, lambda gateway, _: gateway.create_payout(bank_payout("SKNSEC0010")))
    pay(hospital, lambda gateway, _: gateway.fetch_payout(reference_id="SKNSEC0010"))

    everything = io.StringIO()
    # The sandbox app stands where Paytm stands (its merchant holds the keys, as Paytm does).
    call_command("dumpdata", exclude=["sandbox"], stdout=everything)

    assert GatewayTransactionLog.objects.count() == 2
    assert leaks(everything.getvalue(), SECRETS) == []
