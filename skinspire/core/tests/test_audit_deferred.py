"""audited_atomic(): entries join their chain just before the commit, in the same transaction."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections, transaction

from skinspire.core.audit import audit_entry_record, audited_atomic
from skinspire.core.audit.chain import chain_verify
from skinspire.core.models import AuditEntry
from skinspire.core.tests.factories import HospitalFactory, UserFactory

WAIT_SECONDS = 10


@pytest.mark.django_db
def test_entries_get_their_positions_at_the_end_of_the_block(staff_user, hospital):
    with audited_atomic():
        first = audit_entry_record(action="step.one", actor=staff_user)
        second = audit_entry_record(action="step.two", actor=staff_user)
        assert (first.pk, first.sequence, AuditEntry.objects.count()) == (None, None, 0)

    stored = list(AuditEntry.objects.order_by("sequence").values_list("action", "sequence", "pk"))
    assert stored == [("step.one", 1, first.pk), ("step.two", 2, second.pk)]
    assert second.previous_hash == first.entry_hash
    report = chain_verify(f"hospital:{hospital.pk}")
    assert (report.entries, report.broken) == (2, None)


@pytest.mark.django_db
def test_an_entry_of_a_rolled_back_savepoint_is_dropped_with_it(staff_user, hospital):
    with audited_atomic():
        audit_entry_record(action="kept.before", actor=staff_user)
        with pytest.raises(ValueError), transaction.atomic():
            audit_entry_record(action="rolled.back", actor=staff_user)
            raise ValueError("the change fails")
        with transaction.atomic():
            audit_entry_record(action="kept.released", actor=staff_user)

    assert list(AuditEntry.objects.order_by("sequence").values_list("action", "sequence")) == [
        ("kept.before", 1),
        ("kept.released", 2),
    ]
    assert chain_verify(f"hospital:{hospital.pk}").broken is None


@pytest.mark.django_db
def test_a_failed_block_writes_nothing(staff_user):
    with pytest.raises(ValueError), audited_atomic():
        audit_entry_record(action="never.written", actor=staff_user)
        raise ValueError("the change fails")

    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_a_nested_block_leaves_the_append_to_the_outermost(staff_user):
    with audited_atomic():
        with audited_atomic():
            audit_entry_record(action="inner", actor=staff_user)
        assert AuditEntry.objects.count() == 0
        audit_entry_record(action="outer", actor=staff_user)

    assert list(AuditEntry.objects.order_by("sequence").values_list("action", flat=True)) == [
        "inner",
        "outer",
    ]


@pytest.mark.django_db
def test_entries_of_several_hospitals_each_join_their_own_chain(staff_user, hospital):
    other = UserFactory(hospital=HospitalFactory())
    with audited_atomic():
        audit_entry_record(action="here.one", actor=staff_user)
        audit_entry_record(action="there.one", actor=other)
        audit_entry_record(action="here.two", actor=staff_user)

    for chain, actions in ((f"hospital:{hospital.pk}", ["here.one", "here.two"]),
                           (f"hospital:{other.hospital_id}", ["there.one"])):  # fmt: skip
        report = chain_verify(chain)
        assert (report.entries, report.broken) == (len(actions), None)
        assert (
            list(AuditEntry.objects.filter(chain=chain).order_by("sequence").values_list("action", flat=True))
            == actions
        )


@pytest.mark.django_db(transaction=True)
def test_an_open_block_does_not_hold_its_chain_until_the_commit(postgres_only, staff_user, hospital):
    """The point of deferring: while one request of a hospital is still working, another
    appends to the same chain at once; the first takes the next position when it commits."""
    recorded, other_done = threading.Event(), threading.Event()

    def slow_request() -> bool:
        try:
            with audited_atomic():
                audit_entry_record(action="slow.request", actor=staff_user)
                recorded.set()
                return other_done.wait(WAIT_SECONDS)
        finally:
            connections.close_all()

    def quick_write() -> None:
        try:
            assert recorded.wait(WAIT_SECONDS)
            audit_entry_record(action="quick.write", actor=staff_user)
            other_done.set()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        slow = pool.submit(slow_request)
        pool.submit(quick_write).result(timeout=WAIT_SECONDS)
        assert slow.result(timeout=WAIT_SECONDS) is True  # the quick write did not wait for it

    chain = f"hospital:{hospital.pk}"
    assert list(
        AuditEntry.objects.filter(chain=chain).order_by("sequence").values_list("action", "sequence")
    ) == [
        ("quick.write", 1),
        ("slow.request", 2),
    ]
    assert chain_verify(chain).broken is None


@pytest.mark.django_db(transaction=True)
def test_simultaneous_blocks_append_one_unbroken_chain(postgres_only, staff_user, hospital):
    writers = 8
    start = threading.Barrier(writers, timeout=WAIT_SECONDS)

    def write(number: int) -> int:
        try:
            start.wait()
            with audited_atomic():
                audit_entry_record(action=f"writer.{number}.a", actor=staff_user)
                entry = audit_entry_record(action=f"writer.{number}.b", actor=staff_user)
            return entry.sequence
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=writers) as pool:
        sequences = list(pool.map(write, range(writers), timeout=WAIT_SECONDS * 2))

    assert sorted(sequences) == list(range(2, 2 * writers + 1, 2))  # each writer's two entries adjacent
    report = chain_verify(f"hospital:{hospital.pk}")
    assert (report.entries, report.broken) == (2 * writers, None)
