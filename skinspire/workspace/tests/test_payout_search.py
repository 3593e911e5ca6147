"""The supplier payments list's search by a supplier's name or an invoice number: every
payment matched, once, newest first, within the person's hospital. On PostgreSQL the page's
query reads the payments alone (the suppliers and invoices matched in subqueries), and an
index finds parts of invoice numbers; timings are in bench/big_lists/README.md."""

import pytest

from skinspire.ledger.services import chart_of_accounts_create
from skinspire.payouts import selectors
from skinspire.payouts.models import SupplierInvoice, SupplierPayment
from skinspire.payouts.tests.factories import SupplierFactory, SupplierInvoiceFactory
from skinspire.workspace.tests.payments_support import api_as
from skinspire.workspace.tests.support import accounts_desk, query_plan

pytestmark = pytest.mark.django_db


def manual_payment(maker, supplier, *, invoices=(), reference="CHQ 1") -> int:
    body = {"supplier_id": supplier.pk, "amount": "300.00", "mode": "cheque", "manual_reference": reference}
    if invoices:
        share = f"{300 / len(invoices):.2f}"
        body["invoices"] = [{"invoice_id": invoice.pk, "amount": share} for invoice in invoices]
    response = api_as(maker).post("/api/payouts/payments/manual", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


@pytest.fixture
def payments(desk, chart):
    maker = desk.people["payments"]
    pharma = [
        SupplierFactory(hospital=desk.hospital, name=f"Sri Pharma {kind}") for kind in ("Traders", "& Co")
    ]
    linen = SupplierFactory(hospital=desk.hospital, name="Om Linen Traders")
    split = [SupplierInvoiceFactory(supplier=linen, number=number) for number in ("LN-7001", "LN-7002")]
    other = accounts_desk("Bharat Hospital")
    chart_of_accounts_create(hospital=other.hospital)
    namesake = SupplierFactory(hospital=other.hospital, name="Sri Pharma Traders")
    return {
        "pharma-1": manual_payment(maker, pharma[0]),
        "linen-split": manual_payment(maker, linen, invoices=split, reference="CHQ 2"),
        "pharma-2": manual_payment(maker, pharma[1]),
        "pharma-1-again": manual_payment(maker, pharma[0]),
        "other-hospital": manual_payment(other.people["payments"], namesake),
    }


def listed(client, person, term) -> list[int]:
    client.force_login(person)
    response = client.get("/workspace/payouts/", {"branch": "all", "q": term})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == len(page.object_list)
    return [payment.pk for payment in page]


def named(payments, *names) -> list[int]:
    return [payments[name] for name in names]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("pharma", ["pharma-1-again", "pharma-2", "pharma-1"]),  # a word suppliers share
        ("SRI PHARMA T", ["pharma-1-again", "pharma-1"]),  # part of a name, another case
        ("traders", ["pharma-1-again", "linen-split", "pharma-1"]),
        ("ln-700", ["linen-split"]),  # part of both its invoices' numbers: listed once
        ("ln-7002", ["linen-split"]),
        ("chq 2", ["linen-split"]),  # the cheque number, as before
        ("nobody", []),
    ],
)
def test_staff_find_payments_by_supplier_name_or_invoice_newest_first(client, desk, payments, term, expected):
    assert listed(client, desk.people["accountant"], term) == named(payments, *expected)


def test_a_word_more_suppliers_or_invoices_share_than_are_looked_up_finds_the_same(
    client, desk, payments, monkeypatch
):
    # Past the counts looked up first, the suppliers and invoices are matched in subqueries.
    monkeypatch.setattr(selectors, "SUPPLIERS_LOOKED_UP", 1)
    monkeypatch.setattr(selectors, "INVOICES_LOOKED_UP", 1)
    accountant = desk.people["accountant"]
    assert listed(client, accountant, "pharma") == named(payments, "pharma-1-again", "pharma-2", "pharma-1")
    assert listed(client, accountant, "ln-700") == named(payments, "linen-split")


def test_a_superuser_finds_the_payments_of_every_hospital(client, desk, payments):
    found = listed(client, desk.people["superuser"], "sri pharma traders")
    assert found == named(payments, "other-hospital", "pharma-1-again", "pharma-1")


def test_a_payment_reference_or_utr_still_finds_its_payment(client, desk, payments):
    payment = SupplierPayment.objects.get(pk=payments["pharma-2"])
    SupplierPayment.objects.filter(pk=payment.pk).update(utr="UTR88120")
    assert listed(client, desk.people["approver"], payment.reference.lower()) == [payment.pk]
    assert listed(client, desk.people["approver"], "utr88120") == [payment.pk]


def test_the_search_joins_no_supplier_or_invoice_and_needs_no_distinct(desk, payments):
    # A join to the invoices (through the allocations) listed a payment once per invoice and
    # had every payment of the year joined, de-duplicated and sorted for one page.
    sql = str(SupplierPayment.objects.filter(selectors.payment_search(term="ln-700")).query)
    assert "JOIN" not in sql and "DISTINCT" not in sql, sql


def test_on_postgresql_indexes_find_what_a_search_matches(postgres_only, desk, payments):
    # Only bitmap scans allowed (an empty table is cheapest read whole): the payments' four
    # searched columns are looked up through their one index, combined in a BitmapOr ...
    columns = SupplierPayment.objects.filter(selectors.payment_columns_match(term="chq 2"))
    plan = query_plan(columns, forbid=("seqscan", "indexscan"))
    assert "BitmapOr" in plan and "payouts_payment_search_trgm" in plan, plan
    assert "Seq Scan" not in plan, plan
    # ... and the page's query names the payments and suppliers found: read through the
    # primary key's and the supplier's indexes, no payment read to test it.
    for term, index in (("chq 2", "pkey"), ("sri pharma traders", "supplier_id"), ("ln-7002", "pkey")):
        found = SupplierPayment.objects.filter(selectors.payment_search(term=term)).order_by("-id")[:50]
        plan = query_plan(found, forbid=("seqscan", "indexscan"))
        assert f"payouts_supplierpayment_{index}" in plan and "Seq Scan" not in plan, plan


def test_on_postgresql_an_index_finds_parts_of_invoice_numbers(postgres_only, desk, payments):
    plan = query_plan(
        SupplierInvoice.objects.filter(number__icontains="n-700"), forbid=("seqscan", "indexscan")
    )
    assert "payouts_invoice_number_trgm" in plan, plan
