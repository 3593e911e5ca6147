"""The bills list's search: a receptionist types part of a patient's name or of a bill number,
or a patient's number (UHID), in any case, and sees only the bills of their own hospital and
branches. On PostgreSQL the search is served by indexes (trigram indexes of the bill number
and the patient's name), not by reading every bill; timings are in bench/big_lists/."""

import pytest

from skinspire.collections import selectors
from skinspire.collections.models import Bill, Patient
from skinspire.collections.tests.factories import BillFactory, PatientFactory
from skinspire.core.models import User
from skinspire.workspace.tests.support import accounts_desk, query_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def bills(desk):
    asha = PatientFactory(hospital=desk.hospital, name="Asha Verma", patient_number="UHID-111")
    ravi = PatientFactory(hospital=desk.hospital, name="Ravi Iyer", patient_number="UHID-222")
    other = accounts_desk("Bharat Hospital")
    namesake = PatientFactory(hospital=other.hospital, name="Asha Verma", patient_number="UHID-111")
    return {
        "asha": BillFactory(branch=desk.main, patient=asha, number="OPD-1001"),
        "asha-city": BillFactory(branch=desk.city, patient=asha, number="IPD-2002"),
        "ravi": BillFactory(branch=desk.main, patient=ravi, number="OPD-1002"),
        "short": BillFactory(branch=desk.main, patient=ravi, number="A7"),
        "other-hospital": BillFactory(branch=other.main, patient=namesake, number="OPD-1001"),
    }


def found(client, person, term, branch="all") -> set[int]:
    client.force_login(person)
    response = client.get("/workspace/bills/", {"branch": branch, "q": term})
    assert response.status_code == 200
    return {bill.pk for bill in response.context["page"]}


def named(bills, *names) -> set[int]:
    return {bills[name].pk for name in names}


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("verm", {"asha", "asha-city"}),  # part of a surname
        ("ASHA V", {"asha", "asha-city"}),  # part of a full name, another case
        (" a verma ", {"asha", "asha-city"}),  # spaces around are not part of the term
        ("iyer", {"ravi", "short"}),
        ("1001", {"asha"}),  # part of a bill number
        ("opd-100", {"asha", "ravi"}),
        ("uhid-222", {"ravi", "short"}),  # a patient number (UHID), any case
        ("a7", {"short"}),  # shorter than a part: a whole bill number, any case
        ("sh", set()),  # ... and not a part of a name
        ("nobody", set()),
    ],
)
def test_staff_find_bills_by_part_of_a_name_or_number(client, desk, bills, term, expected):
    assert found(client, desk.people["payments"], term) == named(bills, *expected)


def test_the_search_keeps_to_the_branch_chosen(client, desk, bills):
    assert found(client, desk.people["accountant"], "asha", branch=str(desk.city.pk)) == named(
        bills, "asha-city"
    )


def test_a_superuser_finds_the_bills_of_every_hospital(client, desk, bills):
    everyone = found(client, desk.people["superuser"], "asha verma")
    assert everyone == named(bills, "asha", "asha-city", "other-hospital")


def test_staff_of_another_hospital_find_only_their_own_patients_bills(client, bills):
    hospital = Bill.objects.get(pk=bills["other-hospital"].pk).hospital
    person = User.objects.get(hospital=hospital, username__startswith="payments")
    assert found(client, person, "asha") == named(bills, "other-hospital")
    assert found(client, person, "uhid-222") == set()


def test_a_name_many_patients_share_finds_the_same_bills(client, desk, bills, monkeypatch):
    # Past PATIENTS_LOOKED_UP the patients are matched in the bills' query, not listed first.
    monkeypatch.setattr(selectors, "PATIENTS_LOOKED_UP", 1)
    assert found(client, desk.people["payments"], "a") == named(bills)  # short: whole values only
    assert found(client, desk.people["payments"], "a v") == named(bills, "asha", "asha-city")
    assert found(client, desk.people["payments"], "uhid") == set()
    PatientFactory(hospital=desk.hospital, name="Asha Rao")
    assert found(client, desk.people["payments"], "asha") == named(bills, "asha", "asha-city")


def test_on_postgresql_indexes_serve_the_search_for_parts(postgres_only, desk, bills):
    # Nor a whole index read in its order (the hospital's, say, as the model orders patients
    # by it), which a nearly empty table also makes cheap: only an index that finds the part.
    whole_reads = ("seqscan", "indexscan")
    plan = query_plan(Bill.objects.filter(number__icontains="1001"), forbid=whole_reads)
    assert "collections_bill_number_trgm" in plan, plan
    plan = query_plan(Patient.objects.filter(name__icontains="verm"), forbid=whole_reads)
    assert "collections_patient_name_trgm" in plan, plan
    plan = query_plan(Patient.objects.filter(patient_number__iexact="uhid-111"), forbid=whole_reads)
    assert "patient_number_upper" in plan, plan

    # The bills found are then read through the bills' own indexes, combined.
    PatientFactory(hospital=desk.hospital, name="Walk-in OPD-1001")
    plan = query_plan(
        Bill.objects.filter(selectors.bill_lookup(term="opd-1001")).order_by("-id")[:50], forbid=("seqscan",)
    )
    assert "BitmapOr" in plan, plan
    assert "collections_bill_pkey" in plan and "collections_bill_patient_id" in plan, plan
    assert "Seq Scan" not in plan, plan


def test_on_postgresql_a_common_part_walks_the_newest_bills(postgres_only, desk, bills, monkeypatch):
    monkeypatch.setattr(selectors, "BILLS_LOOKED_UP", 0)
    monkeypatch.setattr(selectors, "PATIENTS_LOOKED_UP", 0)
    plan = query_plan(
        Bill.objects.filter(selectors.bill_lookup(term="verm")).order_by("-id")[:50], forbid=("sort",)
    )
    assert "Index Scan Backward using collections_bill_pkey" in plan, plan
    assert "Sort" not in plan, plan
