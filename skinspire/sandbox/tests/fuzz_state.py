"""The sandbox state the fuzzer aims at: one merchant per protocol with one of each entity,
so generated requests can name ids that exist and get past "not found" into validation."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from skinspire.sandbox.models import SandboxMerchant, SandboxObject
from skinspire.sandbox.paytm import testing as paytm_testing
from skinspire.sandbox.paytm.services import links as paytm_links
from skinspire.sandbox.paytm.services import orders as paytm_orders
from skinspire.sandbox.paytm.services import payouts as paytm_payouts
from skinspire.sandbox.paytm.services import refunds as paytm_refunds
from skinspire.sandbox.razorpay.services import (
    contacts,
    links,
    orders,
    payments,
    payout_links,
    payouts,
    refunds,
    settlements,
)
from skinspire.sandbox.tests.factories import SandboxMerchantFactory

ACCOUNT = "7878780080316316"
BANK_ACCOUNT = {"name": "Acme Surgicals", "ifsc": "HDFC0000053", "account_number": "123456789012"}


@dataclass
class FuzzState:
    merchant: SandboxMerchant
    ids: dict[str, list]

    def ids_for(self, name: str, segment: str) -> list:
        """Ids of the entity a URL parameter names (`/payments/<id>` → payments), else all."""
        for candidate in (segment.replace("-", "_").removesuffix("s"), name.removesuffix("_id")):
            if self.ids.get(candidate):
                return self.ids[candidate]
        return [value for values in self.ids.values() for value in values]


def razorpay_basics() -> FuzzState:
    """A merchant with a captured payment, a contact and a bank fund account: enough for the
    regression tests, and quick to build."""
    merchant = SandboxMerchantFactory.create(webhook_url="", account_number=ACCOUNT)
    order = orders.order_create(merchant=merchant, data={"amount": 50000, "currency": "INR"})
    choice = payments.CheckoutChoice(method="upi", succeed=True)
    payments.payment_checkout(merchant=merchant, order_id=order.object_id, choice=choice)
    contact = contacts.contact_create(merchant=merchant, data={"name": "Acme Surgicals", "type": "vendor"})
    contacts.fund_account_create(
        merchant=merchant,
        data={"contact_id": contact.object_id, "account_type": "bank_account", "bank_account": BANK_ACCOUNT},
    )
    return _with_ids(merchant)


def razorpay_state() -> FuzzState:
    """The basics plus one of every other entity (authorized payment, refund, links, payout,
    settlement), so every route has an id that exists."""
    merchant = razorpay_basics().merchant
    ids = _with_ids(merchant).ids
    manual = orders.order_create(
        merchant=merchant, data={"amount": 30000, "currency": "INR", "payment_capture": 0}
    )
    choice = payments.CheckoutChoice(method="upi", succeed=True)
    payments.payment_checkout(merchant=merchant, order_id=manual.object_id, choice=choice)  # authorized
    refunds.refund_create(merchant=merchant, payment_id=ids["payment"][0], data={"amount": 1000})
    links.payment_link_create(
        merchant=merchant,
        data={"amount": 20000, "currency": "INR", "description": "OPD bill"},
        short_url_for=lambda link_id: f"http://sandbox.testserver/sandbox/razorpay/l/{link_id}/",
    )
    payout_body = {"account_number": ACCOUNT, "fund_account_id": ids["fund_account"][0], "amount": 100000,
                   "currency": "INR", "mode": "IMPS", "purpose": "vendor bill"}  # fmt: skip
    payouts.payout_create(merchant=merchant, data=payout_body, idempotency_key="fuzz-key-0001")
    payout_links.payout_link_create(
        merchant=merchant,
        data={
            "account_number": ACCOUNT,
            "amount": 10000,
            "currency": "INR",
            "purpose": "refund",
            "description": "Refund",
            "contact": {"id": ids["contact"][0]},
        },  # fmt: skip
        short_url_for=lambda link_id: f"http://sandbox.testserver/sandbox/razorpay/payout-links/{link_id}/",
    )
    settlements.settlement_generate(
        merchant=merchant, settlement_date=timezone.localdate() + timedelta(days=1)
    )
    return _with_ids(merchant)


def _with_ids(merchant: SandboxMerchant) -> FuzzState:
    ids: dict[str, list] = {}
    for entity, object_id in SandboxObject.objects.filter(merchant=merchant).values_list(
        "entity", "object_id"
    ):
        ids.setdefault(entity, []).append(object_id)
    return FuzzState(merchant=merchant, ids=ids)


def paytm_state() -> FuzzState:
    merchant = paytm_testing.paytm_merchant_create(webhook_url="")
    initiate = {"requestType": "Payment", "mid": merchant.key_id, "orderId": "FUZZ_ORDER_1",
                "txnAmount": {"value": "1000.00", "currency": "INR"}, "userInfo": {"custId": "PATIENT_1"}}  # fmt: skip
    order = paytm_orders.paytm_order_initiate(merchant=merchant, body=initiate)
    fields = paytm_orders.paytm_order_pay(order_id=order.pk, method="upi", succeed=True, notify=False)
    paytm_refunds.paytm_refund_apply(
        merchant=merchant,
        body={
            "mid": merchant.key_id,
            "txnType": "REFUND",
            "orderId": "FUZZ_ORDER_1",
            "txnId": fields["TXNID"],
            "refId": "FUZZ_REFUND_1",
            "refundAmount": "100.00",
        },  # fmt: skip
    )
    link = paytm_links.paytm_link_create(
        merchant=merchant,
        body={"linkName": "Bill 1", "linkDescription": "OPD bill", "linkType": "FIXED", "amount": 500},
    )
    paytm_payouts.paytm_payout_create(
        merchant=merchant,
        body={
            "orderId": "FUZZ_PAYOUT_1",
            "subwalletGuid": merchant.account_number,
            "amount": "100.00",
            "purpose": "OTHERS",
            "beneficiaryAccount": "123456789012",
            "beneficiaryIFSC": "HDFC0000053",
        },  # fmt: skip
    )
    ids = {
        "orderId": ["FUZZ_ORDER_1"],
        "txnId": [fields["TXNID"]],
        "refId": ["FUZZ_REFUND_1"],
        "linkId": [link.body["linkId"]],
        "txnToken": [order.body["_sandbox"]["txnToken"]],
        "payoutOrderId": ["FUZZ_PAYOUT_1"],
    }
    return FuzzState(merchant=merchant, ids=ids)
