"""One payment accounts for one gateway line: the database refuses a second discrepancy of the
hospital naming the payment (migration 0012), whatever Python sends it; the service's own
check, under the payment's row lock, is in test_payment_resolutions and test_link_concurrency."""

import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from skinspire.collections.tests.factories import BillFactory, PatientPaymentFactory
from skinspire.reconciliation.models import Discrepancy
from skinspire.reconciliation.tests.test_payment_resolutions import missing_lines

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("skinspire.reconciliation.migrations.0012_payment_linked_once")


@pytest.fixture
def paid(hospital):
    """The key of a patient payment of the hospital (migration 0010: a linked payment exists)."""
    payment = PatientPaymentFactory(bill=BillFactory(hospital=hospital, branch__hospital=hospital))
    return f"patient_payment:{payment.pk}"


@pytest.fixture
def two_lines(configuration):
    return missing_lines(
        configuration, kind="collection", gateway_ids=["pay_lost", "pay_lost_2"], amount="500.00"
    )


def test_a_second_discrepancy_naming_the_payment_is_refused(two_lines, paid):
    first, second = two_lines
    Discrepancy.objects.filter(pk=first.pk).update(linked_key=paid)

    with pytest.raises(IntegrityError), transaction.atomic():
        Discrepancy.objects.filter(pk=second.pk).update(linked_key=paid)

    assert Discrepancy.objects.get(pk=second.pk).linked_key == ""


def test_discrepancies_naming_no_payment_are_many(two_lines):
    # Open ones, written off, ignored, force-matched: no payment, no rule.
    assert Discrepancy.objects.filter(pk__in=[line.pk for line in two_lines], linked_key="").count() == 2


def test_the_migration_names_the_discrepancies_already_stored_twice(two_lines, paid, hospital):
    first, second = two_lines
    with transaction.atomic():
        # As the database was before 0012 (the rollback puts the index back).
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX discrepancy_payment_linked_once")
        Discrepancy.objects.filter(pk__in=[first.pk, second.pk]).update(linked_key=paid)

        with pytest.raises(RuntimeError) as refused:
            MIGRATION.check_stored_links(apps, None)
        transaction.set_rollback(True)

    assert str(refused.value).startswith(
        f"Discrepancies {[first.pk, second.pk]} of hospital #{hospital.pk} all name payment {paid};"
    )
    Discrepancy.objects.filter(pk=first.pk).update(linked_key=paid)
    with pytest.raises(IntegrityError), transaction.atomic():  # the index is back
        Discrepancy.objects.filter(pk=second.pk).update(linked_key=paid)
