"""The supplier payments list's filters and search; the session's branch is the default."""

import datetime

import pytest
from django.utils import timezone

from skinspire.payouts.models import SupplierPayment
from skinspire.payouts.tests.factories import SupplierFactory, SupplierInvoiceFactory
from skinspire.workspace.tests.payments_support import branch_payment, gateway_payout, manual_payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def payments(desk, chart, gateway, supplier, account, run_tasks):
    maker = desk.people["payments"]
    invoice = SupplierInvoiceFactory(supplier=supplier, number="INV-77", amount="15000.00")
    other = SupplierFactory(hospital=desk.hospital, name="Zen Pharma")
    made = {
        "imps": run_tasks(lambda: gateway_payout(maker, supplier, account, invoices=[(invoice, "15000.00")])),
        "cheque": manual_payment(maker, other, amount="250.00", mode="cheque", reference="CHQ 4411"),
        "main": branch_payment(maker, supplier, desk.main).pk,
        "city": branch_payment(maker, supplier, desk.city).pk,
    }
    made["imps"], made["cheque"] = made["imps"]["id"], made["cheque"]["id"]
    SupplierPayment.objects.filter(pk=made["cheque"]).update(
        created_at=timezone.now() - datetime.timedelta(days=10)
    )
    return made


def listed(client, **filters) -> set[int]:
    response = client.get("/workspace/payouts/", {"branch": "all", **filters})
    assert response.status_code == 200
    return {payment.pk for payment in response.context["page"]}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"imps", "cheque", "main", "city"}),
        ({"status": "processing"}, {"imps"}),
        ({"status": "completed"}, {"cheque"}),
        ({"method": "gateway_payout"}, {"imps"}),
        ({"mode": "cash"}, {"main", "city"}),
        ({"provider": "razorpay"}, {"imps"}),
        ({"provider": "paytm"}, set()),
        ({"q": "INV-77"}, {"imps"}),
        ({"q": "chq 4411"}, {"cheque"}),
        ({"q": "zen"}, {"cheque"}),
        ({"date_to": (timezone.localdate() - datetime.timedelta(days=5)).isoformat()}, {"cheque"}),
        ({"date_from": timezone.localdate().isoformat()}, {"imps", "main", "city"}),
    ],
)
def test_each_filter_narrows_the_list(client, desk, payments, filters, expected):
    client.force_login(desk.people["accountant"])
    assert listed(client, **filters) == {payments[name] for name in expected}


def test_search_by_reference_and_filter_by_supplier(client, desk, payments, supplier):
    client.force_login(desk.people["approver"])
    reference = SupplierPayment.objects.get(pk=payments["city"]).reference
    assert listed(client, q=reference) == {payments["city"]}
    assert listed(client, supplier=supplier.pk) == {payments["imps"], payments["main"], payments["city"]}


def test_the_branch_starts_at_the_working_branch_and_can_be_widened(client, desk, payments):
    client.force_login(desk.people["payments"])
    client.post("/workspace/scope/", {"scope": f"{desk.hospital.pk}:{desk.city.pk}"})

    response = client.get("/workspace/payouts/")

    assert {payment.pk for payment in response.context["page"]} == {payments["city"]}
    assert response.context["form"]["branch"].value() == str(desk.city.pk)
    assert listed(client) == {payments["imps"], payments["cheque"], payments["main"], payments["city"]}
    assert listed(client, branch=desk.main.pk) == {payments["main"]}


def test_someone_without_a_branch_never_sees_its_payments_even_when_asking(client, desk, payments):
    person = desk.people["accountant"]
    person.branches.set([desk.main])
    client.force_login(person)
    assert listed(client) == {payments["imps"], payments["cheque"], payments["main"]}
    response = client.get("/workspace/payouts/", {"branch": desk.city.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["branch"] == [
        f"Select a valid choice. {desk.city.pk} is not one of the available choices."
    ]
    assert payments["city"] not in {payment.pk for payment in response.context["page"]}


@pytest.mark.parametrize(
    "filters",
    [
        {"status": "bogus"},
        {"date_from": "yesterday"},
        {"supplier": "x"},
        {"mode": "bitcoin"},
        {"page": "abc"},
    ],
)
def test_bad_filters_are_shown_as_errors_never_a_500(client, desk, payments, filters):
    client.force_login(desk.people["accountant"])
    response = client.get("/workspace/payouts/", {"branch": "all", **filters})
    assert response.status_code == 200
    if "page" not in filters:
        assert list(response.context["form"].errors) == list(filters)
    assert response.context["page"].paginator.count == 4
