"""The read-only reconciliation API: accountants (and superusers) read their hospital's runs
and discrepancies; other roles 403, strangers 401/403, another hospital's run 404, bad
filters 400."""

import pytest
from rest_framework.test import APIClient

from skinspire.core.roles import ALL_ROLES, ROLE_ACCOUNTANT
from skinspire.core.tests.factories import HospitalFactory
from skinspire.reconciliation.models import Discrepancy
from skinspire.reconciliation.tests import sandbox_support
from skinspire.reconciliation.tests.admin_support import DAY, finished_run, user_with

pytestmark = pytest.mark.django_db

USERS = [None, *ALL_ROLES]
USER_IDS = ["superuser", *ALL_ROLES]


@pytest.fixture
def run(configuration):
    return finished_run(configuration)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("role", USERS, ids=USER_IDS)
def test_each_endpoint_for_each_role(hospital, run, role):
    client = client_for(user_with(role, hospital))
    urls = [
        "/api/reconciliation/runs",
        f"/api/reconciliation/runs/{run.pk}",
        "/api/reconciliation/discrepancies",
    ]

    statuses = [client.get(url).status_code for url in urls]

    assert statuses == [200 if role in (None, ROLE_ACCOUNTANT) else 403] * 3


def test_strangers_are_not_let_in(run):
    assert APIClient().get("/api/reconciliation/runs").status_code in (401, 403)


def test_runs_and_discrepancies_of_the_hospital_with_filters(hospital, run):
    finished_run(sandbox_support.razorpay_configuration(HospitalFactory()))
    client = client_for(user_with(ROLE_ACCOUNTANT, hospital))

    runs = client.get("/api/reconciliation/runs").json()
    same_day = client.get(f"/api/reconciliation/runs?run_date={DAY}&status=completed").json()
    other_day = client.get("/api/reconciliation/runs?run_date=2020-01-01").json()
    detail = client.get(f"/api/reconciliation/runs/{run.pk}").json()
    open_ones = client.get("/api/reconciliation/discrepancies?status=open").json()

    assert [item["id"] for item in runs["results"]] == [run.pk]
    assert ([item["id"] for item in same_day["results"]], other_day["results"]) == ([run.pk], [])
    assert (detail["status"], detail["matched_count"], detail["discrepancy_count"], detail["provider"]) == (
        "completed",
        2,
        1,
        "razorpay",
    )
    assert detail["category_counts"]["missing_at_gateway"] == 1
    discrepancy = Discrepancy.objects.get(configuration=run.configuration)
    assert [(item["id"], item["category"], item["amount_difference"]) for item in open_ones["results"]] == [
        (discrepancy.pk, "missing_at_gateway", "-40.00")
    ]


def test_another_hospitals_run_is_not_found_and_bad_filters_are_400(hospital, run):
    foreign = finished_run(sandbox_support.razorpay_configuration(HospitalFactory()))
    client = client_for(user_with(ROLE_ACCOUNTANT, hospital))

    missing = client.get(f"/api/reconciliation/runs/{foreign.pk}")
    bad_date = client.get("/api/reconciliation/runs?run_date=yesterday")
    bad_status = client.get("/api/reconciliation/discrepancies?status=closed")

    assert missing.status_code == 404
    assert (bad_date.status_code, bad_status.status_code) == (400, 400)
    assert "run_date" in bad_date.json()["extra"]["fields"]
    assert bad_status.json()["extra"]["fields"]["status"][0].startswith('"closed" is not one of: open, ')
