"""seed_demo adds patients with open bills, once."""

import io

import pytest
from django.core.management import call_command

from skinspire.collections.models import Bill, Patient

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_patients_with_open_bills_and_is_idempotent():
    first, second = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=first)
    call_command("seed_demo", stdout=second)

    assert first.getvalue() == second.getvalue()
    assert "Patients with open bills: Asha Rao, Vikram Iyer, Meera Nair" in first.getvalue()
    assert Patient.objects.count() == 3
    assert sorted(Bill.objects.values_list("number", "status")) == [
        ("ADV-2026-0001", "unpaid"),
        ("IPD-2026-0001", "unpaid"),
        ("OPD-2026-0001", "unpaid"),
        ("PHR-2026-0001", "unpaid"),
        ("PKG-2026-0001", "unpaid"),
    ]
    assert set(Bill.objects.values_list("branch__code", flat=True)) == {"main", "city"}
