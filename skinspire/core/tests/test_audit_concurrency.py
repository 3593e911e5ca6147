"""Concurrent writers never fork a chain: real threads, separate PostgreSQL connections."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections, transaction

from skinspire.core.audit import audit_entry_record
from skinspire.core.audit.chain import chain_verify
from skinspire.core.models import AuditEntry
from skinspire.core.tests.factories import HospitalFactory, UserFactory

WAIT_SECONDS = 10
WRITERS = 8
# Each writer keeps its transaction open this long after appending, so without the chain
# lock every writer reads the same head before any of them commits.
HOLD_SECONDS = 0.2


def in_own_connection(function):
    def run(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        finally:
            connections.close_all()

    return run


@pytest.mark.django_db(transaction=True)
def test_simultaneous_writers_to_one_hospital_append_one_unbroken_chain(postgres_only, staff_user, hospital):
    start = threading.Barrier(WRITERS, timeout=WAIT_SECONDS)

    @in_own_connection
    def write(number):
        start.wait()
        with transaction.atomic():
            entry = audit_entry_record(action=f"writer.{number}", actor=staff_user)
            time.sleep(HOLD_SECONDS)
        return entry.sequence

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        futures = [pool.submit(write, number) for number in range(WRITERS)]
        sequences = [future.result(timeout=WAIT_SECONDS * 2) for future in futures]

    assert sorted(sequences) == list(range(1, WRITERS + 1))
    report = chain_verify(f"hospital:{hospital.pk}")
    assert (report.entries, report.broken) == (WRITERS, None)
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {f"writer.{n}" for n in range(WRITERS)}


@pytest.mark.django_db(transaction=True)
def test_a_writer_in_another_hospital_does_not_wait(postgres_only, staff_user):
    """The lock is per chain: one hospital's open transaction never stalls another's log."""
    other_user = UserFactory(hospital=HospitalFactory())
    first_appended, other_done = threading.Event(), threading.Event()

    @in_own_connection
    def hold_own_chain():
        with transaction.atomic():
            audit_entry_record(action="slow.write", actor=staff_user)
            first_appended.set()
            return other_done.wait(WAIT_SECONDS)

    @in_own_connection
    def write_other_chain():
        assert first_appended.wait(WAIT_SECONDS)
        audit_entry_record(action="other.write", actor=other_user)
        other_done.set()

    with ThreadPoolExecutor(max_workers=2) as pool:
        holder = pool.submit(hold_own_chain)
        other = pool.submit(write_other_chain)
        other.result(timeout=WAIT_SECONDS)
        assert holder.result(timeout=WAIT_SECONDS) is True  # the other writer finished while it held its lock

    assert AuditEntry.objects.count() == 2
