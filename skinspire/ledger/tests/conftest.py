import pytest

from skinspire.core.tests.factories import HospitalFactory
from skinspire.ledger.services import chart_of_accounts_create


@pytest.fixture
def chart(hospital):
    """The hospital fixture (a factory row, not hospital_create) with its default accounts."""
    return chart_of_accounts_create(hospital=hospital)


@pytest.fixture
def other_hospital(db):
    other = HospitalFactory()
    chart_of_accounts_create(hospital=other)
    return other
