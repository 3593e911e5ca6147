"""Bill pages for every role: the list with filters, a bill with its payments and links, and
the counter forms (payments staff only, while something is open); tenancy is 404."""

import pytest

from skinspire.collections.models import PaymentLink
from skinspire.collections.tests.factories import BillFactory, PatientFactory
from skinspire.workspace.tests.payments_support import api_as, counter_payment
from skinspire.workspace.tests.support import EVERY_PERSON, accounts_desk

pytestmark = pytest.mark.django_db

STATUS = {"payments": 200, "approver": 403, "accountant": 200, "gatewayadmin": 403, "superuser": 200}


@pytest.fixture
def bills(desk, chart):
    asha = PatientFactory(hospital=desk.hospital, name="Asha Verma", patient_number="UHID-111")
    return {
        "open": BillFactory(branch=desk.main, patient=asha, number="OPD-1001", amount="1500.00"),
        "paid": BillFactory(branch=desk.city, number="IPD-2002", amount="500.00"),
    }


@pytest.fixture
def settled(desk, bills):
    counter_payment(desk.people["payments"], bills["paid"], amount="500.00")
    return bills


@pytest.mark.parametrize("person", EVERY_PERSON)
def test_every_role_on_every_bill_page(client, desk, bills, person):
    client.force_login(desk.people[person])
    assert client.get("/workspace/bills/").status_code == STATUS[person]
    assert client.get(f"/workspace/bills/{bills['open'].pk}/").status_code == STATUS[person]


@pytest.mark.parametrize("url", ["/workspace/bills/", "/workspace/bills/1/"])
def test_anonymous_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, f"/admin/login/?next={url}")


def test_another_hospitals_bill_is_404_and_absent(client, bills):
    client.force_login(accounts_desk("Bharat Hospital").people["payments"])
    assert client.get(f"/workspace/bills/{bills['open'].pk}/").status_code == 404
    assert client.get("/workspace/bills/").context["page"].paginator.count == 0


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"open", "paid"}),
        ({"status": "paid"}, {"paid"}),
        ({"status": "unpaid"}, {"open"}),
        ({"q": "asha"}, {"open"}),
        ({"q": "IPD-2002"}, {"paid"}),
        ({"status": "bogus"}, {"open", "paid"}),
    ],
)
def test_bill_filters(client, desk, settled, filters, expected):
    client.force_login(desk.people["accountant"])
    response = client.get("/workspace/bills/", {"branch": "all", **filters})
    assert {bill.pk for bill in response.context["page"]} == {settled[name].pk for name in expected}
    assert "provider" not in response.context["form"].fields


def test_an_open_bill_offers_payments_staff_the_counter_and_a_link(client, desk, bills):
    client.force_login(desk.people["payments"])
    html = client.get(f"/workspace/bills/{bills['open'].pk}/").content.decode()
    assert 'data-api-url="/api/patient-payments/manual"' in html
    assert 'data-api-url="/api/gateway/create-payment-link"' in html
    assert '<input id="counter-amount" name="amount" inputmode="decimal" value="1500.00" required>' in html
    assert [f'value="{hours}"' in html for hours in (24, 48, 72)] == [True, True, True]
    client.force_login(desk.people["accountant"])
    assert 'id="collect"' not in client.get(f"/workspace/bills/{bills['open'].pk}/").content.decode()


def test_a_paid_bill_offers_no_collection_and_lists_its_payment(client, desk, settled):
    client.force_login(desk.people["payments"])
    html = client.get(f"/workspace/bills/{settled['paid'].pk}/").content.decode()
    assert 'id="collect"' not in html
    assert '<span class="badge badge-success" data-status="paid">Paid</span>' in html
    assert "<td>Cash</td>" in html


def test_an_open_link_shows_its_url_copy_button_and_qr(client, desk, bills, gateway):
    created = api_as(desk.people["payments"]).post(
        "/api/gateway/create-payment-link",
        {"bill_id": bills["open"].pk, "expire_in_hours": 48},
        format="json",
    )
    assert created.status_code == 201, created.json()
    link = created.json()
    client.force_login(desk.people["payments"])
    html = client.get(f"/workspace/bills/{bills['open'].pk}/").content.decode()
    assert f'value="{link["url"]}"' in html
    assert f'data-copy="link-url-{link["id"]}"' in html
    assert f'src="/api/payment-links/{link["id"]}/qr"' in html


def _open_link(desk, bill, **body) -> dict:
    created = api_as(desk.people["payments"]).post(
        "/api/gateway/create-payment-link", {"bill_id": bill.pk, "expire_in_hours": 24, **body}, format="json"
    )
    assert created.status_code == 201, created.json()
    return created.json()


@pytest.mark.parametrize("person", EVERY_PERSON)
def test_resend_and_cancel_buttons_are_for_payments_staff(client, desk, bills, gateway, person):
    link = _open_link(desk, bills["open"], notify=["email", "sms"])
    client.force_login(desk.people[person])
    response = client.get(f"/workspace/bills/{bills['open'].pk}/")
    if STATUS[person] != 200:
        assert response.status_code == STATUS[person]
        return
    html = response.content.decode()
    offered = person in ("payments", "superuser")
    assert (f'data-api-url="/api/payment-links/{link["id"]}/resend"' in html) is offered
    assert (f'data-api-url="/api/payment-links/{link["id"]}/cancel"' in html) is offered
    if offered:
        assert ">Send again by e-mail and SMS</button>" in html
        assert f'data-confirm="Cancel link {link["reference"]}? The patient will no longer be able' in html


def test_a_link_sent_by_neither_channel_offers_cancel_but_no_resend(client, desk, bills, gateway):
    link = _open_link(desk, bills["open"])
    client.force_login(desk.people["payments"])
    html = client.get(f"/workspace/bills/{bills['open'].pk}/").content.decode()
    assert f'id="link-resend-{link["id"]}"' not in html
    assert f'id="link-cancel-{link["id"]}"' in html


@pytest.mark.parametrize("person", EVERY_PERSON)
def test_the_buttons_api_calls_answer_each_role(desk, bills, gateway, person, mailoutbox):
    """What the buttons call: payments staff (and the superuser) act, everyone else is refused."""
    link = _open_link(desk, bills["open"], notify=["email"])
    client = api_as(desk.people[person])
    resent = client.post(f"/api/payment-links/{link['id']}/resend")
    cancelled = client.post(f"/api/payment-links/{link['id']}/cancel")
    if person in ("payments", "superuser"):
        assert (resent.status_code, cancelled.status_code) == (200, 200)
        assert cancelled.json()["status"] == "cancelled"
        assert [message.to for message in mailoutbox] == [[bills["open"].patient.email]]
    else:
        assert (resent.status_code, cancelled.status_code) == (403, 403)
        assert mailoutbox == []
        assert PaymentLink.objects.get(pk=link["id"]).status == "created"


def test_another_hospitals_link_is_404_to_resend_and_cancel(client, desk, bills, gateway, mailoutbox):
    link = _open_link(desk, bills["open"], notify=["email"])
    stranger = api_as(accounts_desk("Bharat Hospital").people["payments"])
    assert stranger.post(f"/api/payment-links/{link['id']}/resend").status_code == 404
    assert stranger.post(f"/api/payment-links/{link['id']}/cancel").status_code == 404
    assert (mailoutbox, PaymentLink.objects.get(pk=link["id"]).status) == ([], "created")


def test_a_cancelled_link_shows_no_buttons(client, desk, bills, gateway):
    link = _open_link(desk, bills["open"], notify=["email"])
    assert api_as(desk.people["payments"]).post(f"/api/payment-links/{link['id']}/cancel").status_code == 200
    client.force_login(desk.people["payments"])
    html = client.get(f"/workspace/bills/{bills['open'].pk}/").content.decode()
    assert f'id="link-cancel-{link["id"]}"' not in html
    assert 'data-status="cancelled">Cancelled</span>' in html
