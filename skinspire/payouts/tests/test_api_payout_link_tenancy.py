"""The payout-link endpoints seen from another hospital (its supplier, or our issued link
resent or cancelled by its staff: 404, never 403, and nothing sent or changed), and bodies
no client would send, through the real WSGI entry point (4xx, nothing written). The happy
paths are in test_api_payout_links; the roles in test_api_payouts' matrix."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from skinspire.core.authentication.tokens import api_token_create
from skinspire.core.roles import ROLE_PAYMENTS_STAFF
from skinspire.core.tests import bad_input
from skinspire.core.tests.factories import BranchFactory, HospitalFactory, UserFactory
from skinspire.payouts.models import SupplierPayment
from skinspire.payouts.tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db

CREATE = "/api/gateway/create-payment-link"


@pytest.fixture
def staff(maker):
    client = APIClient()
    client.force_authenticate(maker)
    return client


@pytest.fixture
def outsider():
    """Payments staff of another hospital."""
    elsewhere = HospitalFactory(name="Hospital B")
    user = UserFactory(
        hospital=elsewhere, roles=[ROLE_PAYMENTS_STAFF], branches=[BranchFactory(hospital=elsewhere)]
    )
    client = APIClient()
    client.force_authenticate(user)
    return client


def create(client, supplier_id, **extra):
    body = {"supplier_id": supplier_id, "amount": "2500.00", "expire_in_hours": 48, **extra}
    return client.post(CREATE, body, format="json")


def test_another_hospitals_supplier_and_link_are_404(
    configuration, chart, supplier, staff, outsider, run_tasks
):
    run_tasks(lambda: create(staff, supplier.pk))
    payment = SupplierPayment.objects.get()
    theirs = SupplierFactory(hospital=HospitalFactory())

    assert create(staff, theirs.pk).status_code == 404
    assert outsider.post(f"/api/payouts/payments/{payment.pk}/resend-link").status_code == 404
    assert outsider.post(f"/api/payouts/payments/{payment.pk}/cancel", {"reason": "x"}).status_code == 404
    assert create(outsider, supplier.pk).status_code == 404
    assert SupplierPayment.objects.count() == 1
    assert SupplierPayment.objects.get().payout_link_status == "issued"
    assert mail.outbox == []


@pytest.mark.parametrize(
    "body",
    [
        {"bill_id": 1, "supplier_id": 1, "amount": "10.00"},
        {"amount": "10.00"},
        {},
        {"supplier_id": "x"},
        {"supplier_id": 10**30, "amount": "10.00"},
        {"supplier_id": "{supplier}", "amount": "1e999"},
        {"supplier_id": "{supplier}", "amount": "10.00", "expire_in_hours": 5},
        {"supplier_id": "{supplier}", "amount": "10.00", "notify": ["fax"]},
        {"supplier_id": "{supplier}", "amount": "10.00", "notify": "email"},
        {"supplier_id": "{supplier}", "amount": "10.00", "invoices": [{"invoice_id": 10**30, "amount": "1"}]},
        {"supplier_id": "{supplier}", "amount": "-10.00"},
        {"supplier_id": "{supplier}", "amount": "10.00", "provider": "\ud800"},
        {"supplier_id": "{supplier}", "amount": "10.00", "description": "x" * 201},
    ],
)
def test_bad_bodies_are_400_in_the_error_shape_and_nothing_is_written(
    configuration, chart, supplier, maker, body
):
    body = {key: supplier.pk if value == "{supplier}" else value for key, value in body.items()}
    client = bad_input.wsgi_client()
    token = api_token_create(user=maker)[1]
    request = bad_input.FuzzRequest(
        "POST", CREATE, bad_input.to_json(body).encode(), headers={"Authorization": f"Token {token}"}
    )

    response = bad_input.send_isolated(request, client)

    assert 400 <= response.status_code < 500, (body, response.status_code)
    assert response.status_code != 403
    assert not SupplierPayment.objects.exists()
