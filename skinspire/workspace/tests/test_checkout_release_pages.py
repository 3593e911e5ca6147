"""Releasing an online payment from the bill and payment pages: offered to, and allowed for,
the role that may start Pay online (payments staff) only; the accountant reads the pages
without the button and is refused the POST, the other roles are refused both. The form asks
for a reason and a tick, and the answer page says what happened."""

from decimal import Decimal

import pytest

from skinspire.collections.models import PatientPayment
from skinspire.collections.tests.factories import BillFactory
from skinspire.core.models import AuditEntry
from skinspire.workspace.tests.support import accounts_desk

pytestmark = pytest.mark.django_db

RELEASE = {"reason": "Patient walked away", "confirm": "1"}


@pytest.fixture
def bill(desk, chart):
    return BillFactory(branch=desk.main, number="OPD-7010", amount=Decimal("2500.00"))


@pytest.fixture
def order(client, desk, bill, gateway) -> PatientPayment:
    """A Pay online the patient gave up on, started at the counter on the sandbox."""
    client.force_login(desk.people["payments"])
    assert client.post(f"/workspace/bills/{bill.pk}/pay-online", {"amount": ""}).status_code == 200
    client.logout()
    return PatientPayment.objects.get()


def release_url(payment) -> str:
    return f"/workspace/patient-payments/{payment.pk}/release"


def test_payments_staff_see_the_button_and_release_the_order(client, desk, bill, order):
    client.force_login(desk.people["payments"])
    bill_page = client.get(f"/workspace/bills/{bill.pk}/").content.decode()
    payment_page = client.get(f"/workspace/patient-payments/{order.pk}/").content.decode()
    assert f'id="release-{order.pk}"' in bill_page
    assert "Online payments being made" in bill_page
    assert f'action="{release_url(order)}"' in payment_page

    response = client.post(release_url(order), RELEASE)

    assert response.status_code == 200
    page = response.content.decode()
    assert (
        f"Online payment {order.reference} released: ₹2,500.00 of bill OPD-7010 may be asked for again."
        in page
    )
    order.refresh_from_db()
    assert (order.status, order.failure_code) == ("failed", "released")
    assert AuditEntry.objects.get(action="patient_payment.checkout_released").actor == desk.people["payments"]
    assert f'id="release-{order.pk}"' not in client.get(f"/workspace/bills/{bill.pk}/").content.decode()
    # The bill may be asked for its money again at once.
    assert client.post(f"/workspace/bills/{bill.pk}/pay-online", {"amount": ""}).status_code == 200


def test_the_accountant_reads_the_pages_without_the_button_and_is_refused(client, desk, bill, order):
    client.force_login(desk.people["accountant"])
    bill_page = client.get(f"/workspace/bills/{bill.pk}/")
    payment_page = client.get(f"/workspace/patient-payments/{order.pk}/")
    assert (bill_page.status_code, payment_page.status_code) == (200, 200)
    assert "release-" not in bill_page.content.decode() + payment_page.content.decode()

    assert client.post(release_url(order), RELEASE).status_code == 403
    order.refresh_from_db()
    assert order.status == "pending"


@pytest.mark.parametrize("person", ["approver", "gatewayadmin"])
def test_other_roles_are_refused(client, desk, bill, order, person):
    client.force_login(desk.people[person])

    assert client.get(f"/workspace/bills/{bill.pk}/").status_code == 403
    assert client.post(release_url(order), RELEASE).status_code == 403
    order.refresh_from_db()
    assert order.status == "pending"


def test_staff_of_another_hospital_do_not_find_it(client, order):
    client.force_login(accounts_desk("Other Hospital").people["payments"])

    assert client.post(release_url(order), RELEASE).status_code == 404
    order.refresh_from_db()
    assert order.status == "pending"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (
            {"reason": "Patient walked away"},
            "Tick the box to confirm the patient is not paying this online now.",
        ),
        ({"confirm": "1", "reason": " "}, "This field is required."),
    ],
)
def test_without_the_tick_or_a_reason_nothing_is_released(client, desk, order, form, message):
    client.force_login(desk.people["payments"])

    response = client.post(release_url(order), form)

    assert response.status_code == 400
    assert "The online payment was not released" in response.content.decode()
    assert message in response.content.decode()
    order.refresh_from_db()
    assert order.status == "pending"


def test_a_payment_already_received_is_not_released(client, desk, order):
    PatientPayment.objects.filter(pk=order.pk).update(status="captured")  # as if its webhook came
    client.force_login(desk.people["payments"])

    response = client.post(release_url(order), RELEASE)

    assert response.status_code == 409
    assert (
        f"Payment {order.reference} is not an online payment being made (captured)"
        in response.content.decode()
    )
