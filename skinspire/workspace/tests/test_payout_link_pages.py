"""A payout link's payment page: the link with its Copy button while issued, resend and
cancel for Payments staff only, and the record page offering the payout link method."""

import re

import pytest

from skinspire.payouts.models import SupplierPayment
from skinspire.workspace.tests.payments_support import api_as

pytestmark = pytest.mark.django_db


def make_link(desk, supplier, run_tasks, **extra) -> SupplierPayment:
    body = {
        "supplier_id": supplier.pk,
        "amount": "2500.00",
        "expire_in_hours": 72,
        "notify": ["email"],
        **extra,
    }
    answer = run_tasks(lambda: api_as(desk.people["payments"]).post("/api/gateway/create-payment-link", body,
                                                                      format="json"))  # fmt: skip
    assert answer.status_code == 201, answer.json()
    return SupplierPayment.objects.get(pk=answer.json()["id"])


def page(client, person, payment) -> str:
    client.force_login(person)
    return client.get(f"/workspace/payouts/{payment.pk}/").content.decode()


def actions(html: str) -> list[str]:
    return re.findall(r'class="action-form" id="action-([a-z]+)"', html)


def test_an_issued_link_is_shown_with_copy_resend_and_cancel(
    client, desk, chart, gateway, supplier, run_tasks
):
    payment = make_link(desk, supplier, run_tasks)

    html = page(client, desk.people["payments"], payment)

    assert f'<input id="payout-link-url" readonly value="{payment.payout_link_url}">' in html
    assert 'data-copy="payout-link-url"' in html
    assert "The gateway also sent it by e-mail." in html
    assert actions(html) == ["refresh", "resend", "cancel"]
    assert f'data-api-url="/api/payouts/payments/{payment.pk}/resend-link"' in html
    assert "Cancel the payout link" in html
    assert "<script>" not in html  # scripts are files (CSP): the copy button is workspace.js's


def test_the_resend_button_names_the_channels_it_will_use(client, desk, chart, gateway, supplier, run_tasks):
    by_both = make_link(desk, supplier, run_tasks, notify=["email", "sms"])
    by_email = make_link(desk, supplier, run_tasks, amount="100.00")

    assert ">Resend the link by e-mail and SMS</button>" in page(client, desk.people["payments"], by_both)
    assert ">Resend the link by e-mail</button>" in page(client, desk.people["payments"], by_email)


@pytest.mark.parametrize("role", ["accountant", "approver"])
def test_an_accountant_or_approver_sees_the_link_status_not_its_address(
    client, desk, chart, gateway, supplier, run_tasks, role
):
    payment = make_link(desk, supplier, run_tasks)

    html = page(client, desk.people[role], payment)

    assert 'Link status: <strong id="payout-link-status">issued</strong>' in html
    assert payment.payout_link_url not in html and 'id="payout-link-url"' not in html
    assert 'id="payout-link-hidden"' in html
    assert not {"resend", "cancel"} & set(actions(html))


def test_a_link_waiting_for_approval_says_when_it_comes(client, desk, chart, gateway, supplier, run_tasks):
    from decimal import Decimal

    from skinspire.payouts.models import PayoutPolicy

    PayoutPolicy.objects.create(hospital=desk.hospital, approval_threshold=Decimal("1000.00"))
    payment = make_link(desk, supplier, run_tasks)

    html = page(client, desk.people["payments"], payment)

    assert "The link is issued once the payment is approved." in html
    assert 'id="payout-link-url"' not in html
    assert "resend" not in actions(html)


def test_a_cancelled_link_offers_nothing_more(client, desk, chart, gateway, supplier, run_tasks):
    payment = make_link(desk, supplier, run_tasks)
    api_as(desk.people["payments"]).post(
        f"/api/payouts/payments/{payment.pk}/cancel", {"reason": "No longer due"}
    )

    html = page(client, desk.people["payments"], payment)

    assert 'id="payout-link-url"' not in html
    assert actions(html) == []
    assert 'Link status: <strong id="payout-link-status">cancelled</strong>' in html


def test_the_record_page_offers_a_payout_link(client, desk, gateway):
    client.force_login(desk.people["payments"])

    html = client.get("/workspace/payouts/new/").content.decode()

    assert 'name="method" value="payout_link"' in html
    assert '<option value="48" selected>48 hours</option>' in html
    assert 'name="notify" value="sms"' in html
