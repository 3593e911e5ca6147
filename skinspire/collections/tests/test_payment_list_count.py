"""GET /api/patient-payments answers an exact `count` (the paginated list's contract, in the
OpenAPI schema), also past the 10,000 at which the admin and workspace lists stop counting;
it counts only what the caller may see. On PostgreSQL a hospital's staff's count is read from
the (hospital, branch) index alone; timings are in bench/big_lists/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skinspire.collections import selectors
from skinspire.collections.tests.factories import BillFactory, PatientPaymentFactory
from skinspire.core import admin_lists
from skinspire.core.tests.factories import BranchFactory

pytestmark = pytest.mark.django_db


def test_the_count_is_exact_past_the_lists_cap(client_as, bill, monkeypatch):
    monkeypatch.setattr(admin_lists, "COUNT_CAP", 2)
    payments = [PatientPaymentFactory(bill=bill) for _ in range(3)]

    body = client_as("accountant").get("/api/patient-payments", {"limit": 2}).json()

    assert body["count"] == 3
    assert [item["id"] for item in body["results"]] == [payments[2].pk, payments[1].pk]
    assert "offset=2" in body["next"]


def test_the_count_is_of_the_callers_branches_and_hospital(client_as, hospital, branch, bill):
    PatientPaymentFactory(bill=bill)
    PatientPaymentFactory(bill=BillFactory(branch=BranchFactory(hospital=hospital)))  # not my branch
    PatientPaymentFactory()  # another hospital

    assert client_as("payments").get("/api/patient-payments").json()["count"] == 1
    assert client_as("payments", other_hospital=True).get("/api/patient-payments").json()["count"] == 0


def test_on_postgresql_staffs_count_is_read_from_an_index_alone(postgres_only, user_with_role, bill):
    PatientPaymentFactory(bill=bill)
    payments = selectors.patient_payment_list(user=user_with_role("payments"))
    with CaptureQueriesContext(connection) as counted:
        assert payments.count() == 1  # what DRF's paginator asks
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the table is nearly empty here
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {counted.captured_queries[-1]['sql']}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using collections_payment_scope" in plan, plan
