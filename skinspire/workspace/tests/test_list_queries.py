"""Lists cost the same number of queries for 3 rows as for 30: no query per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skinspire.collections.tests.factories import BillFactory, PatientPaymentFactory
from skinspire.core.transitions import transition
from skinspire.workspace.tests.payments_support import branch_payment

pytestmark = pytest.mark.django_db


def queries(client, url: str, rows: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"branch": "all"})
    assert (response.status_code, len(response.context["page"])) == (200, rows)
    return len(captured)


def supplier_payments(desk, supplier, count):
    for _ in range(count):
        payment = branch_payment(desk.people["payments"], supplier, desk.main)
        transition(
            instance=payment, to="pending_approval", reason="Above the threshold", actor=payment.created_by
        )


def patient_payments(desk, count):
    for _ in range(count):
        PatientPaymentFactory(bill=BillFactory(branch=desk.city))


@pytest.mark.parametrize(
    ("url", "person", "make"),
    [
        ("/workspace/payouts/", "accountant", lambda desk, supplier, n: supplier_payments(desk, supplier, n)),
        (
            "/workspace/payouts/approvals/",
            "approver",
            lambda desk, supplier, n: supplier_payments(desk, supplier, n),
        ),
        ("/workspace/patient-payments/", "accountant", lambda desk, supplier, n: patient_payments(desk, n)),
        ("/workspace/bills/", "payments", lambda desk, supplier, n: patient_payments(desk, n)),
    ],
)
def test_rows_add_no_queries(client, desk, chart, supplier, url, person, make):
    client.force_login(desk.people[person])
    make(desk, supplier, 3)
    few = queries(client, url, 3)
    make(desk, supplier, 27)
    many = queries(client, url, 30)
    assert many == few, (few, many)
