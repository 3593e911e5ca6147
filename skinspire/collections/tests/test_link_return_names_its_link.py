"""The patient's return to /pay/link/<token>/return counts only for the link it names: a
return the gateway signed for one link, replayed on another link's page before the first
link's webhook arrives, would record that payment on the other bill. So it is refused as
unverified, and nothing is recorded or asked of the gateway."""

from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.test import Client

from skinspire.collections.models import PatientPayment, PaymentLink
from skinspire.collections.tests.factories import BillFactory
from skinspire.gateways.providers.paytm import signing
from skinspire.sandbox.models import SandboxMerchant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_gateways")]


def link_for(client_as, branch, amount):
    bill = BillFactory(branch=branch, amount=Decimal(amount))
    body = {"bill_id": bill.pk, "expire_in_hours": 24, "notify": []}
    response = client_as("payments").post("/api/gateway/create-payment-link", body, format="json")
    assert response.status_code == 201, response.content
    return PaymentLink.objects.get(pk=response.json()["id"])


def paid_on_gateway_page(link: PaymentLink) -> str:
    """The patient pays the link on the sandbox's page; the query it sends them back with."""
    url = urlsplit(link.gateway_url)
    phone = Client(HTTP_HOST=url.netloc)
    redirect = phone.post(url.path, {"method": "upi", "vpa": "asha@okhdfc", "outcome": "success"})
    assert redirect.status_code == 302
    back = urlsplit(redirect["Location"])
    assert back.path == f"/pay/link/{link.token}/return"
    return back.query


def test_a_razorpay_return_signed_for_one_link_is_refused_on_another(client_as, branch):
    paid = link_for(client_as, branch, "900.00")
    other = link_for(client_as, branch, "48250.00")
    query = paid_on_gateway_page(paid)

    replayed = Client().get(f"/pay/link/{other.token}/return?{query}")

    assert replayed.status_code == 400
    assert "We could not confirm this payment" in replayed.content.decode()
    assert PatientPayment.objects.count() == 0
    other.bill.refresh_from_db()
    assert other.bill.amount_paid == Decimal("0.00")
    # On its own link's page the same return is the payment it says.
    own = Client().get(f"/pay/link/{paid.token}/return?{query}")
    assert (own.status_code, "Payment received" in own.content.decode()) == (200, True)
    assert list(PatientPayment.objects.values_list("bill_id", "amount", "status")) == [
        (paid.bill_id, Decimal("900.00"), "captured")
    ]


def test_a_paytm_form_signed_for_one_link_is_refused_on_another(client_as, branch, hospital):
    hospital.gateway_configurations.filter(provider="razorpay").update(is_active=False)
    first = link_for(client_as, branch, "900.00")
    other = link_for(client_as, branch, "48250.00")
    assert (first.source, other.source) == ("paytm", "paytm")
    merchant = SandboxMerchant.objects.get(provider="paytm")
    fields = {"MID": merchant.key_id, "ORDERID": f"LL{first.gateway_link_id}00000001", "STATUS": "TXN_SUCCESS",
              "TXNID": "20261201000000000001", "TXNAMOUNT": "900.00", "MERC_UNQ_REF": f"LI_{first.gateway_link_id}",
              "LINKNOTES": "", "RESPCODE": "01"}  # fmt: skip
    signed = {**fields, "CHECKSUMHASH": signing.sign_fields(fields, merchant_key=merchant.key_secret)}

    replayed = Client().post(f"/pay/link/{other.token}/return", signed)

    assert replayed.status_code == 400
    assert "We could not confirm this payment" in replayed.content.decode()
    assert PatientPayment.objects.count() == 0
