"""/api/gateway/create-payment-link (a bill) and /api/payment-links: roles, tenancy, bad input."""

import pytest
import qrcode
import qrcode.image.svg
from django.core import mail

from skinspire.collections.models import PaymentLink
from skinspire.core.models import AuditEntry
from skinspire.core.sms import LocmemSmsBackend

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_gateways")]

CREATE = {"payments": 201, "accountant": 403, "approver": 403, "gateway_admin": 403, None: 401}
READ = {"payments": 200, "accountant": 200, "approver": 403, "gateway_admin": 403, None: 401}


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


def test_resend_uses_the_links_channels(client_as, bill, sms_outbox):
    client = client_as("payments")
    created = create(client, bill, notify=["email", "sms"]).json()

    response = client.post(f"/api/payment-links/{created['id']}/resend")

    assert response.status_code == 200
    assert [message.to for message in mail.outbox] == [[bill.patient.email]]
    assert created["url"] in mail.outbox[0].body
    assert [message.to for message in sms_outbox] == [bill.patient.phone]
    assert created["url"] in sms_outbox[0].text and "₹1,500.00" in sms_outbox[0].text


def test_resend_without_an_address_for_its_channels_is_a_400(client_as, bill, sms_outbox):
    bill.patient.phone = ""
    bill.patient.save()
    client = client_as("payments")
    created = create(client, bill, notify=["sms"]).json()

    assert client.post(f"/api/payment-links/{created['id']}/resend").status_code == 400
    assert sms_outbox == []


@pytest.mark.parametrize("role", list(READ))
def test_qr_code_of_the_patients_page(client_as, bill, role):
    created = create(client_as("payments"), bill).json()

    response = client_as(role).get(f"/api/payment-links/{created['id']}/qr")

    assert response.status_code == READ[role]
    if READ[role] == 200:
        assert response["Content-Type"] == "image/svg+xml"
        expected = qrcode.make(created["url"], image_factory=qrcode.image.svg.SvgPathImage).to_string()
        assert response.content == expected


def test_qr_code_of_another_hospitals_link_is_404(client_as, bill):
    link_id = create(client_as("payments"), bill).json()["id"]

    assert (
        client_as("payments", other_hospital=True).get(f"/api/payment-links/{link_id}/qr").status_code == 404
    )


def test_an_sms_service_that_fails_is_a_503_after_the_e_mail_went(client_as, bill, monkeypatch, sms_outbox):
    client = client_as("payments")
    created = create(client, bill, notify=["email", "sms"]).json()

    def refuse(self, message):
        raise ConnectionRefusedError("SMS service down")

    monkeypatch.setattr(LocmemSmsBackend, "send", refuse)
    response = client.post(f"/api/payment-links/{created['id']}/resend")

    assert response.status_code == 503
    assert response.json()["message"].startswith("The SMS could not be sent")
    assert [message.to for message in mail.outbox] == [[bill.patient.email]]
