"""Patient payment pages for every role: the list with filters, one payment with its refund
form (payments staff only, the refundable amount shown); tenancy is 404."""

import datetime

import pytest
from django.utils import timezone

from skinspire.collections.models import PatientPayment
from skinspire.collections.tests.factories import BillFactory, PatientFactory, PatientPaymentFactory
from skinspire.workspace.tests.payments_support import api_as, counter_payment
from skinspire.workspace.tests.support import EVERY_PERSON, accounts_desk

pytestmark = pytest.mark.django_db

STATUS = {"payments": 200, "approver": 403, "accountant": 200, "gatewayadmin": 403, "superuser": 200}


@pytest.fixture
def bills(desk, chart):
    asha = PatientFactory(hospital=desk.hospital, name="Asha Verma", patient_number="UHID-111")
    ravi = PatientFactory(hospital=desk.hospital, name="Ravi Iyer", patient_number="UHID-222")
    return {
        "main": BillFactory(branch=desk.main, patient=asha, number="OPD-1001", amount="1500.00"),
        "city": BillFactory(branch=desk.city, patient=ravi, number="IPD-2002", amount="250000.00"),
    }


@pytest.fixture
def paid(desk, bills):
    staff = desk.people["payments"]
    made = {
        "cash": counter_payment(staff, bills["main"])["id"],
        "cheque": counter_payment(staff, bills["city"], amount="100000.00", method="cheque", reference="CHQ 7")["id"],
        "online": PatientPaymentFactory(bill=bills["city"], amount="150000.00", source="razorpay",
                                        gateway_order_id="order_Web1").pk,
    }  # fmt: skip
    PatientPayment.objects.filter(pk=made["cheque"]).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    return made


@pytest.mark.parametrize("person", EVERY_PERSON)
def test_every_role_on_every_patient_payment_page(client, desk, paid, person):
    client.force_login(desk.people[person])
    assert client.get("/workspace/patient-payments/").status_code == STATUS[person]
    assert client.get(f"/workspace/patient-payments/{paid['cash']}/").status_code == STATUS[person]


@pytest.mark.parametrize("url", ["/workspace/patient-payments/", "/workspace/patient-payments/1/"])
def test_anonymous_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, f"/admin/login/?next={url}")


@pytest.mark.parametrize("person", ["payments", "accountant"])
def test_another_hospitals_payment_is_404_and_absent(client, desk, paid, person):
    client.force_login(accounts_desk("Bharat Hospital").people[person])
    assert client.get(f"/workspace/patient-payments/{paid['cash']}/").status_code == 404
    assert client.get("/workspace/patient-payments/").context["page"].paginator.count == 0


def listed(client, **filters) -> set[int]:
    response = client.get("/workspace/patient-payments/", {"branch": "all", **filters})
    assert response.status_code == 200
    return {payment.pk for payment in response.context["page"]}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"cash", "cheque", "online"}),
        ({"status": "captured"}, {"cash", "cheque"}),
        ({"status": "pending"}, {"online"}),
        ({"category": "gateway"}, {"online"}),
        ({"method": "cheque"}, {"cheque"}),
        ({"provider": "razorpay"}, {"online"}),
        ({"provider": "paytm"}, set()),
        ({"patient": "asha"}, {"cash"}),
        ({"patient": "UHID-222"}, {"cheque", "online"}),
        ({"q": "OPD-1001"}, {"cash"}),
        ({"q": "order_Web1"}, {"online"}),
        ({"date_to": (timezone.localdate() - datetime.timedelta(days=1)).isoformat()}, {"cheque"}),
        ({"status": "nonsense"}, {"cash", "cheque", "online"}),
        ({"date_from": "soon"}, {"cash", "cheque", "online"}),
    ],
)
def test_each_filter_narrows_the_list(client, desk, paid, filters, expected):
    client.force_login(desk.people["accountant"])
    assert listed(client, **filters) == {paid[name] for name in expected}


def test_the_branch_starts_at_the_working_branch(client, desk, paid):
    client.force_login(desk.people["payments"])
    client.post("/workspace/scope/", {"scope": f"{desk.hospital.pk}:{desk.main.pk}"})
    response = client.get("/workspace/patient-payments/")
    assert {payment.pk for payment in response.context["page"]} == {paid["cash"]}


def test_the_list_row_reads_like_the_counter_would_say_it(client, desk, paid):
    client.force_login(desk.people["payments"])
    html = client.get("/workspace/patient-payments/", {"branch": "all", "method": "cheque"}).content.decode()
    assert '<td>Ravi Iyer <span class="muted">UHID-222</span></td>' in html
    assert "<td>IPD-2002</td>" in html
    assert '<td class="amount">₹1,00,000.00</td>' in html
    assert "<td>Cheque</td>" in html
    assert '<span class="badge badge-success" data-status="captured">Captured</span>' in html


def test_payments_staff_see_the_refund_form_with_what_is_refundable(client, desk, paid):
    client.force_login(desk.people["payments"])
    url = f"/workspace/patient-payments/{paid['cheque']}/"
    html = client.get(url).content.decode()
    assert '<strong id="refundable">₹1,00,000.00</strong>' in html
    assert f'data-api-url="/api/patient-payments/{paid["cheque"]}/refunds"' in html
    assert '<label for="refund-reason">Reason (required)</label>' in html

    refunded = api_as(desk.people["payments"]).post(
        f"/api/patient-payments/{paid['cheque']}/refunds",
        {"amount": "40000.00", "reason": "Overcharged"},
        format="json",
    )
    assert refunded.status_code == 201, refunded.json()
    html = client.get(url).content.decode()
    assert '<strong id="refundable">₹60,000.00</strong>' in html
    assert "<td>Overcharged</td>" in html
    assert (
        '<span class="badge badge-neutral" data-status="partially_refunded">Partially refunded</span>' in html
    )


@pytest.mark.parametrize("person", ["accountant", "superuser"])
def test_only_payments_staff_and_superusers_may_refund(client, desk, paid, person):
    client.force_login(desk.people[person])
    html = client.get(f"/workspace/patient-payments/{paid['cash']}/").content.decode()
    assert ('id="action-refund"' in html) is (person == "superuser")


def test_a_pending_online_payment_offers_no_refund_and_shows_its_timeline(client, desk, paid):
    client.force_login(desk.people["payments"])
    html = client.get(f"/workspace/patient-payments/{paid['online']}/").content.decode()
    assert 'id="action-refund"' not in html
    assert "<dt>Gateway order</dt><dd>order_Web1</dd>" in html
    assert "No status change recorded yet." in html
    cash = client.get(f"/workspace/patient-payments/{paid['cash']}/").content.decode()
    assert 'data-status="captured"' in cash[cash.index('id="timeline"') :]
