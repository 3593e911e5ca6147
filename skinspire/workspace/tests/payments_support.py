"""Payments for the workspace's page tests, made the way staff make them: through the
payouts and collections APIs (gateway payouts reach the in-process sandbox), or a service."""

from decimal import Decimal

from rest_framework.test import APIClient

from skinspire.gateways.tests.factories import GatewayConfigurationFactory
from skinspire.payouts.models import SupplierPayment
from skinspire.payouts.services.payments import PaymentRequest, supplier_payment_create
from skinspire.sandbox.tests.factories import SandboxMerchantFactory

SANDBOX_RAZORPAY = "http://sandbox.testserver/sandbox/razorpay"


def sandbox_gateway(hospital):
    merchant = SandboxMerchantFactory(
        webhook_url="https://merchant.invalid/webhooks/razorpay", account_number="2323230041626905"
    )
    return GatewayConfigurationFactory(
        hospital=hospital,
        is_default=True,
        base_url=SANDBOX_RAZORPAY,
        key_id=merchant.key_id,
        razorpay_key_secret=merchant.key_secret,
        razorpay_webhook_secret=merchant.webhook_secret,
        account_number=merchant.account_number,
    )


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def gateway_payout(maker, supplier, account, *, amount="15000.00", mode="imps", invoices=()) -> dict:
    body = {"supplier_id": supplier.pk, "account_id": account.pk, "amount": amount, "mode": mode}
    if invoices:
        body["invoices"] = [{"invoice_id": invoice.pk, "amount": share} for invoice, share in invoices]
    response = api_as(maker).post("/api/gateway/initiate-payout", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def manual_payment(maker, supplier, *, amount="250.00", mode="cheque", reference="CHQ 9") -> dict:
    body = {"supplier_id": supplier.pk, "amount": amount, "mode": mode, "manual_reference": reference}
    response = api_as(maker).post("/api/payouts/payments/manual", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def branch_payment(maker, supplier, branch, *, amount: str = "500.00") -> SupplierPayment:
    request = PaymentRequest(
        supplier=supplier, amount=Decimal(amount), method="manual", mode="cash", branch=branch
    )
    payment, _ = supplier_payment_create(request=request, maker=maker)
    return payment


def counter_payment(staff, bill, *, amount="1500.00", method="cash", reference="") -> dict:
    """A patient payment recorded at the counter through the collections API (captured)."""
    body = {"bill_id": bill.pk, "amount": amount, "method": method}
    if reference:
        body["instrument_reference"] = reference
    response = api_as(staff).post("/api/patient-payments/manual", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()
