"""/api/gateway/create-payment-link (a bill) and /api/payment-links: roles, tenancy, bad input."""

import io

import pytest

from skinspire.collections.models import PaymentLink
from skinspire.core.models import AuditEntry
from skinspire.sandbox import demo
from skinspire.sandbox.models import SandboxMerchant

pytestmark = pytest.mark.django_db

CREATE = {"payments": 201, "accountant": 403, "approver": 403, "gateway_admin": 403, None: 401}
READ = {"payments": 200, "accountant": 200, "approver": 403, "gateway_admin": 403, None: 401}


@pytest.fixture(autouse=True)
def gateways(hospital):
    demo.seed(hospital=hospital, out=io.StringIO())
    SandboxMerchant.objects.update(webhook_url="")


def create(client, bill, **overrides):
    body = {"bill_id": bill.pk, "expire_in_hours": 24, "notify": ["email"], **overrides}
    return client.post("/api/gateway/create-payment-link", body, format="json")


@pytest.mark.parametrize("role", list(CREATE))
def test_create_by_role(client_as, bill, role):
    response = create(client_as(role), bill, amount="500.00")

    assert response.status_code == CREATE[role]
    if CREATE[role] == 201:
        link = PaymentLink.objects.get()
        assert (response.json()["amount"], response.json()["status"]) == ("500.00", "created")
        assert response.json()["url"] == f"http://testserver/pay/link/{link.token}"
        assert len(link.token) >= 32
        assert AuditEntry.objects.filter(action="payment_link.create", object_id=str(link.pk)).count() == 1
    else:
        assert PaymentLink.objects.count() == 0


@pytest.mark.parametrize("role", list(READ))
def test_list_by_role(client_as, bill, role):
    create(client_as("payments"), bill)

    response = client_as(role).get("/api/payment-links", {"bill_id": bill.pk})

    assert response.status_code == READ[role]
    if READ[role] == 200:
        assert [item["bill_id"] for item in response.json()["results"]] == [bill.pk]


@pytest.mark.parametrize("role", ["payments", "accountant"])
def test_another_hospital_sees_nothing(client_as, bill, role):
    link_id = create(client_as("payments"), bill).json()["id"]
    client = client_as(role, other_hospital=True)

    assert client.get("/api/payment-links").json()["results"] == []
    assert create(client, bill).status_code == (404 if role == "payments" else 403)
    assert client.post(f"/api/payment-links/{link_id}/cancel").status_code == (
        404 if role == "payments" else 403
    )
    assert PaymentLink.objects.get().status == "created"


@pytest.mark.parametrize("role", ["accountant", "approver", "gateway_admin", None])
def test_cancel_and_resend_need_payments_staff(client_as, bill, role):
    link_id = create(client_as("payments"), bill).json()["id"]
    client = client_as(role)

    assert client.post(f"/api/payment-links/{link_id}/cancel").status_code == CREATE[role]
    assert client.post(f"/api/payment-links/{link_id}/resend").status_code == CREATE[role]
    assert PaymentLink.objects.get().status == "created"


@pytest.mark.parametrize(
    "overrides",
    [{"expire_in_hours": 12}, {"expire_in_hours": "x"}, {"notify": ["fax"]}, {"notify": "email"},
     {"amount": "1500.01"}, {"amount": "0"}, {"bill_id": None}],
)  # fmt: skip
def test_bad_input_is_a_400_and_writes_nothing(client_as, bill, overrides):
    response = create(client_as("payments"), bill, **overrides)

    assert response.status_code == 400
    assert PaymentLink.objects.count() == 0
