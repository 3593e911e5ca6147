"""A discrepancy linked to a payment (`linked_key`, set by the resolutions) names an existing
payment of its own hospital: the database refuses any other link (migration 0010), on insert
and on update, whatever Python sends it. The resolutions themselves still link
(test_payment_resolutions.py)."""

import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from skinspire.collections.tests.factories import BillFactory, PatientPaymentFactory
from skinspire.core.tests.factories import HospitalFactory
from skinspire.reconciliation.models import Discrepancy
from skinspire.reconciliation.tests.admin_support import finished_run

pytestmark = pytest.mark.django_db

SQLITE_SAYS = "a discrepancy is linked to a payment that does not exist or belongs to another hospital"


def refused(postgresql: str):
    message = postgresql if connection.vendor == "postgresql" else SQLITE_SAYS
    return pytest.raises(IntegrityError, match=re.escape(f"reconciliation: {message}"))


def payment_of(hospital):
    return PatientPaymentFactory(
        bill=BillFactory(hospital=hospital, branch__hospital=hospital), amount=Decimal("40.00")
    )


@pytest.fixture
def found(configuration) -> Discrepancy:
    return finished_run(configuration).discrepancies.get()


def test_a_link_to_another_hospitals_payment_is_refused(found):
    theirs = payment_of(HospitalFactory())
    key = f"patient_payment:{theirs.pk}"

    with (
        refused(f"a discrepancy is linked to {key}, which belongs to another hospital"),
        transaction.atomic(),
    ):
        Discrepancy.objects.filter(pk=found.pk).update(linked_key=key, resolution="linked")

    assert Discrepancy.objects.values_list("linked_key", flat=True).get(pk=found.pk) == ""


@pytest.mark.parametrize(
    "key", ["patient_payment:999999", "payout:999999", "patient_refund:999999", "patient_payment:x", "payout:07",
            "invoice:1"],
)  # fmt: skip
def test_a_link_to_no_payment_is_refused(found, key):
    with refused(f"a discrepancy is linked to {key}, which is no payment that exists"), transaction.atomic():
        Discrepancy.objects.filter(pk=found.pk).update(linked_key=key)

    assert Discrepancy.objects.values_list("linked_key", flat=True).get(pk=found.pk) == ""


def test_a_discrepancy_stored_already_linked_to_another_hospitals_payment_is_refused(found):
    theirs = payment_of(HospitalFactory())
    key = f"patient_payment:{theirs.pk}"
    copy = Discrepancy.objects.get(pk=found.pk)
    copy.pk, copy.fingerprint, copy.linked_key = None, "copy", key

    with (
        refused(f"a discrepancy is linked to {key}, which belongs to another hospital"),
        transaction.atomic(),
    ):
        Discrepancy.objects.bulk_create([copy])

    assert not Discrepancy.objects.filter(fingerprint="copy").exists()


def test_a_link_to_a_payment_of_its_own_hospital_is_stored(found):
    ours = payment_of(found.hospital)
    copy = Discrepancy.objects.get(pk=found.pk)
    copy.pk, copy.fingerprint, copy.linked_key = None, "copy", f"patient_payment:{ours.pk}"

    Discrepancy.objects.bulk_create([copy])
    # Another payment: one payment accounts for one discrepancy (test_payment_linked_once_rule).
    also_ours = payment_of(found.hospital)
    Discrepancy.objects.filter(pk=found.pk).update(linked_key=f"patient_payment:{also_ours.pk}")
    Discrepancy.objects.filter(pk=found.pk).update(resolution_note="unlinked again", linked_key="")

    # A set: the found one's fingerprint is random hex, which sorts before or after "copy".
    assert set(Discrepancy.objects.values_list("fingerprint", "linked_key")) == {
        ("copy", f"patient_payment:{ours.pk}"),
        (found.fingerprint, ""),
    }
