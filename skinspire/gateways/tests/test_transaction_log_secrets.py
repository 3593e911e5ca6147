"""No key secret, webhook secret, full account number or full UPI id ever reaches the
transaction log or the application logs — whatever the gateway echoes back."""

import json
import logging

import pytest
import responses
from django.core import serializers

from skinspire.gateways.errors import GatewayAPIError, GatewayUnreachableError
from skinspire.gateways.models import GatewayTransactionLog
from skinspire.gateways.providers.interface import FundAccountRequest, RefundRequest, UpiAddress
from skinspire.gateways.tests.test_razorpay_support import (
    BASE,
    KEY_SECRET,
    OUR_ACCOUNT,
    SUPPLIER_ACCOUNT,
    SUPPLIER_VPA,
    WEBHOOK_SECRET,
    bank_payout,
    make_provider,
    payout_entity,
    upi_payout,
)

pytestmark = pytest.mark.django_db

SECRETS = [KEY_SECRET, WEBHOOK_SECRET, OUR_ACCOUNT, SUPPLIER_ACCOUNT, SUPPLIER_VPA]


def echo_payout(request):
    """Razorpay answers a composite payout with the fund account expanded, numbers and all."""
    sent = json.loads(request.body)
    fund_account = {"id": "fa_00000000000009", "entity": "fund_account", **sent["fund_account"]}
    answer = payout_entity(reference_id=sent["reference_id"], mode=sent["mode"], fund_account=fund_account)
    answer["debit_account_number"] = sent["account_number"]
    return 200, {}, json.dumps(answer)


def test_nothing_secret_in_log_rows_or_application_logs(hospital, caplog, capsys, unreachable_url):
    caplog.set_level(logging.DEBUG)
    provider = make_provider(hospital=hospital)
    with responses.RequestsMock() as mock:
        mock.add_callback(responses.POST, f"{BASE}/v1/payouts", callback=echo_payout)
        mock.post(
            f"{BASE}/v1/fund_accounts",
            json={"id": "fa_2", "entity": "fund_account", "account_type": "vpa",
                  "vpa": {"username": "medisupply.pharma", "handle": "okhdfc", "address": SUPPLIER_VPA}},
        )  # fmt: skip
        mock.get(f"{BASE}/v1/payouts", json={"entity": "collection", "count": 1, "items": [payout_entity()]})
        mock.post(
            f"{BASE}/v1/payments/pay_1/refund",
            status=400,
            json={"error": {"code": "BAD_REQUEST_ERROR", "field": "account_number",
                            "description": f"Account {SUPPLIER_ACCOUNT} or {SUPPLIER_VPA} is not valid"}},
        )  # fmt: skip

        provider.create_payout(bank_payout())
        provider.create_payout(upi_payout())
        provider.create_fund_account(FundAccountRequest("cont_1", UpiAddress("Medi Supply Co", SUPPLIER_VPA)))
        provider.fetch_payout(reference_id="PAY-000042")
        with pytest.raises(GatewayAPIError) as refused:
            provider.create_refund(RefundRequest("pay_1", "order_1", "RFND-000001"))
    unreachable = make_provider(hospital=hospital, base_url=unreachable_url)
    with pytest.raises(GatewayUnreachableError) as unreached:
        unreachable.fetch_payout(reference_id="PAY-000042")

    rows = GatewayTransactionLog.objects.all()
    assert rows.count() == 6
    dumped = serializers.serialize("json", rows)
    errors = " ".join(
        f"{error.value} {error.value.extra} {error.value.gateway_message}" for error in (refused, unreached)
    )
    printed = capsys.readouterr()
    for text in (dumped, caplog.text, errors, printed.out, printed.err):
        for secret in SECRETS:
            assert secret not in text, text[max(0, text.find(secret) - 300) : text.find(secret) + 50]
    # Masked, not dropped: the rows still say which account was paid.
    bank_row = rows.get(operation="create_payout", idempotency_key=bank_payout().idempotency_key)
    assert bank_row.request_body["fund_account"]["bank_account"]["account_number"] == "XXXX4891"
    assert bank_row.request_body["account_number"] == "XXXX6316"
    assert bank_row.response_body["debit_account_number"] == "XXXX6316"
    upi_row = rows.get(operation="create_payout", idempotency_key=upi_payout().idempotency_key)
    assert upi_row.request_body["fund_account"]["vpa"]["address"] == "me***@okhdfc"
    failed_row = rows.get(operation="create_refund")
    assert "XXXX4891" in failed_row.error_message
    assert "me***@okhdfc" in failed_row.error_message
