"""Supplier payment pages for every role: list, approvals queue, detail; tenancy is 404."""

import re
from decimal import Decimal

import pytest

from skinspire.payouts.models import PayoutPolicy
from skinspire.payouts.tests.factories import SupplierFactory, bank_account
from skinspire.workspace.tests.payments_support import gateway_payout, manual_payment
from skinspire.workspace.tests.support import EVERY_PERSON, accounts_desk

pytestmark = pytest.mark.django_db

LIST_STATUS = {"payments": 200, "approver": 200, "accountant": 200, "gatewayadmin": 403, "superuser": 200}
APPROVALS_STATUS = {
    "payments": 403,
    "approver": 200,
    "accountant": 403,
    "gatewayadmin": 403,
    "superuser": 200,
}


@pytest.fixture
def payment(desk, chart, gateway, supplier, account, run_tasks):
    return run_tasks(lambda: gateway_payout(desk.people["payments"], supplier, account))


@pytest.mark.parametrize("person", EVERY_PERSON)
def test_every_role_on_every_payout_page(client, desk, payment, person):
    client.force_login(desk.people[person])
    detail = f"/workspace/payouts/{payment['id']}/"
    assert client.get("/workspace/payouts/").status_code == LIST_STATUS[person]
    assert client.get("/workspace/payouts/approvals/").status_code == APPROVALS_STATUS[person]
    assert client.get(detail).status_code == LIST_STATUS[person]


@pytest.mark.parametrize(
    "url", ["/workspace/payouts/", "/workspace/payouts/approvals/", "/workspace/payouts/1/"]
)
def test_anonymous_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, f"/admin/login/?next={url}")


@pytest.mark.parametrize("person", ["payments", "approver", "accountant"])
def test_another_hospitals_payment_is_404_and_absent_from_its_lists(client, desk, payment, person):
    other = accounts_desk("Bharat Hospital")
    client.force_login(other.people[person])
    assert client.get(f"/workspace/payouts/{payment['id']}/").status_code == 404
    assert client.get("/workspace/payouts/999999/").status_code == 404
    assert client.get("/workspace/payouts/").context["page"].paginator.count == 0


def test_the_list_shows_each_payment_with_indian_amount_badge_and_link(client, desk, payment):
    client.force_login(desk.people["accountant"])
    html = client.get("/workspace/payouts/").content.decode()
    row = re.search(
        rf'<tr>\s*<td><a href="/workspace/payouts/{payment["id"]}/">{payment["reference"]}</a>.*?</tr>',
        html,
        re.S,
    )
    assert row is not None
    cells = row.group(0)
    assert "<td>Acme Surgicals</td>" in cells
    assert '<td class="amount">₹15,000.00</td>' in cells
    assert "<td>Gateway payout · IMPS</td>" in cells
    assert "<td>Razorpay</td>" in cells
    assert '<span class="badge badge-waiting" data-status="processing">Processing</span>' in cells
    assert "<td>Hospital-wide</td>" in cells


def test_the_detail_shows_gateway_facts_allocations_and_the_timeline(client, desk, payment, supplier):
    client.force_login(desk.people["payments"])
    html = client.get(f"/workspace/payouts/{payment['id']}/").content.decode()
    assert f"<h1>Payment {payment['reference']} " in html
    assert "<dt>Account</dt><dd>XXXX5678 (HDFC0000123)</dd>" in html
    assert "50100012345678" not in html
    assert "<dt>Gateway</dt><dd>Razorpay</dd>" in html
    assert "<dt>Fee (estimated)</dt><dd>₹5.90</dd>" in html
    timeline = html[html.index('id="timeline"') :]
    assert re.findall(r'data-status="([a-z_]+)"', timeline) == [
        "draft", "approved", "approved", "submitted", "submitted", "processing",
    ]  # fmt: skip
    assert "By " + desk.people["payments"].username in timeline


def test_the_approvals_queue_lists_only_payments_waiting_with_their_maker(
    client, desk, chart, gateway, supplier, account
):
    PayoutPolicy.objects.create(hospital=desk.hospital, approval_threshold=Decimal("10000.00"))
    waiting = gateway_payout(desk.people["payments"], supplier, account, amount="25000.00")
    manual_payment(desk.people["payments"], supplier, amount="250.00")  # below: completed at once
    client.force_login(desk.people["approver"])

    response = client.get("/workspace/payouts/approvals/")

    assert [item.pk for item in response.context["page"]] == [waiting["id"]]
    html = response.content.decode()
    assert '<th scope="col">Made by</th>' in html
    assert f"<td>{desk.people['payments'].username}</td>" in html
    assert '<td class="amount">₹25,000.00</td>' in html


def test_the_approvals_queue_shows_none_of_another_hospital(client, desk, chart, gateway, supplier, account):
    PayoutPolicy.objects.create(hospital=desk.hospital, approval_threshold=Decimal("1.00"))
    gateway_payout(desk.people["payments"], supplier, account)
    client.force_login(accounts_desk("Bharat Hospital").people["approver"])
    assert client.get("/workspace/payouts/approvals/").context["page"].paginator.count == 0


def test_a_supplier_of_another_hospital_is_not_offered_as_a_filter(client, desk, supplier):
    SupplierFactory(hospital=accounts_desk("Bharat Hospital").hospital, name="Elsewhere Pharma")
    bank_account(supplier)
    client.force_login(desk.people["payments"])
    choices = dict(client.get("/workspace/payouts/").context["form"].fields["supplier"].choices)
    assert list(choices.values()) == ["Any", "Acme Surgicals"]


def test_a_gateway_payout_waiting_for_approval_is_not_called_manual(
    client, desk, chart, gateway, supplier, account
):
    """Before it is sent it has no gateway yet (the hospital's default is chosen then); the page
    said "— (manual)", so an approver read a gateway payout as one paid by hand."""
    PayoutPolicy.objects.create(hospital=desk.hospital, approval_threshold=Decimal("10000.00"))
    waiting = gateway_payout(desk.people["payments"], supplier, account, amount="25000.00")
    by_hand = manual_payment(desk.people["payments"], supplier, amount="250.00")
    client.force_login(desk.people["approver"])

    html = client.get(f"/workspace/payouts/{waiting['id']}/").content.decode()
    manual_html = client.get(f"/workspace/payouts/{by_hand['id']}/").content.decode()

    assert "<dt>Gateway</dt><dd>The hospital's default, chosen when it is sent</dd>" in html
    assert "<dt>Gateway</dt><dd>— (paid by hand)</dd>" in manual_html
