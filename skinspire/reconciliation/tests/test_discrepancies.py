"""Discrepancies across runs (re-runs keep resolutions, late settlements close what they
explain) and their resolution by an accountant (a reason, the audit log, once)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from skinspire.core.errors import ApplicationError, ConflictError
from skinspire.core.models import AuditEntry, StatusTransition
from skinspire.reconciliation.engine import GatewayRow, Kind, RowStatus
from skinspire.reconciliation.models import Discrepancy, ReconciliationRun
from skinspire.reconciliation.services.discrepancies import ACTION_RESOLVE, discrepancy_resolve
from skinspire.reconciliation.services.runs import reconciliation_run_start

pytestmark = pytest.mark.django_db

DAY = date(2026, 4, 20)


def line(gateway_id: str, amount: str, on: date) -> GatewayRow:
    return GatewayRow(
        key=f"setl_late/{gateway_id}", gateway_id=gateway_id, utr="UTR1", amount=Decimal(amount), fee=Decimal("0.00"),
        tax=Decimal("0.00"), status=RowStatus.SUCCESS, date=on, kind=Kind.COLLECTION, settlement_id="setl_late",
    )  # fmt: skip


@pytest.fixture
def two_lost(our_payment):
    old = DAY - timedelta(days=4)
    return (
        our_payment(gateway_id="pay_A", amount=Decimal("10.00"), expected_fee=None, paid_on=old),
        our_payment(gateway_id="pay_B", amount=Decimal("20.00"), expected_fee=None, paid_on=old),
    )


def by_key(key: str) -> Discrepancy:
    return Discrepancy.objects.get(system_keys=[key])


def test_a_rerun_keeps_resolutions_and_closes_what_the_late_report_explains(
    configuration, two_lost, staff_user
):
    lost_a, lost_b = two_lost
    first = reconciliation_run_start(
        configuration=configuration, run_date=DAY, trigger="schedule", gateway_rows=[]
    )
    assert Discrepancy.objects.filter(status="open").count() == 2
    discrepancy_resolve(
        discrepancy=by_key(f"trial:{lost_a.pk}"),
        actor=staff_user,
        resolution="written_off",
        note="Bank confirmed no credit",
    )

    second = reconciliation_run_start(
        configuration=configuration,
        run_date=DAY,
        trigger="upload",
        actor=staff_user,
        gateway_rows=[line("pay_B", "20.00", DAY - timedelta(days=4))],
        report_file_name="late.csv",
    )

    first.refresh_from_db()
    assert (first.status, second.status) == ("superseded", "completed")
    kept = by_key(f"trial:{lost_a.pk}")
    assert (kept.status, kept.resolution, kept.resolution_note, kept.last_run, kept.first_run) == (
        "resolved",
        "written_off",
        "Bank confirmed no credit",
        second,
        first,
    )
    explained = by_key(f"trial:{lost_b.pk}")
    assert (explained.status, explained.resolution, explained.resolution_note) == (
        "superseded",
        "explained",
        f"not found again by reconciliation run #{second.pk} of {DAY}",
    )
    assert Discrepancy.objects.count() == 2
    assert second.items.get(key=f"trial:{lost_b.pk}").category == "matched"


def test_a_settlement_on_a_later_date_closes_an_earlier_dates_discrepancy(configuration, two_lost):
    _, lost_b = two_lost
    reconciliation_run_start(configuration=configuration, run_date=DAY, trigger="schedule", gateway_rows=[])

    later = reconciliation_run_start(
        configuration=configuration,
        run_date=DAY + timedelta(days=1),
        trigger="schedule",
        gateway_rows=[line("pay_B", "20.00", DAY - timedelta(days=4))],
    )

    assert by_key(f"trial:{lost_b.pk}").status == "superseded"
    assert Discrepancy.objects.filter(status="open").count() == 1
    assert ReconciliationRun.objects.filter(status="completed").count() == 2
    assert later.category_counts["matched"] == 2


def test_resolving_records_who_when_why_and_audits_it(configuration, two_lost, staff_user):
    reconciliation_run_start(configuration=configuration, run_date=DAY, trigger="schedule", gateway_rows=[])
    discrepancy = by_key(f"trial:{two_lost[0].pk}")

    discrepancy_resolve(
        discrepancy=discrepancy, actor=staff_user, resolution="ignored", note="  Test payment  "
    )

    discrepancy.refresh_from_db()
    assert (
        discrepancy.status,
        discrepancy.resolution,
        discrepancy.resolution_note,
        discrepancy.resolved_by,
    ) == (
        "resolved",
        "ignored",
        "Test payment",
        staff_user,
    )
    assert discrepancy.resolved_at is not None
    entry = AuditEntry.objects.get(action=ACTION_RESOLVE)
    assert (entry.actor, entry.hospital_id, entry.message, entry.object_id) == (
        staff_user,
        configuration.hospital_id,
        "Test payment",
        str(discrepancy.pk),
    )
    assert entry.changes == {
        "status": {"from": "open", "to": "resolved"},
        "resolution": {"from": "", "to": "ignored"},
    }
    history = StatusTransition.objects.get(object_id=str(discrepancy.pk), to_state="resolved")
    assert (history.actor, history.reason) == (staff_user, "Test payment")


@pytest.mark.parametrize(
    ("resolution", "note", "message"),
    [
        ("written_off", "   ", "Say why: a resolution needs a note."),
        ("explained", "x", "'explained' is not a resolution (force_matched, ignored, written_off)."),
    ],
)
def test_a_resolution_without_a_reason_or_of_the_wrong_kind_writes_nothing(
    configuration, two_lost, staff_user, resolution, note, message
):
    reconciliation_run_start(configuration=configuration, run_date=DAY, trigger="schedule", gateway_rows=[])
    discrepancy = by_key(f"trial:{two_lost[0].pk}")
    transitions_before = StatusTransition.objects.count()

    with pytest.raises(ApplicationError) as raised:
        discrepancy_resolve(discrepancy=discrepancy, actor=staff_user, resolution=resolution, note=note)

    assert raised.value.message == message
    discrepancy.refresh_from_db()
    assert (discrepancy.status, discrepancy.resolution, discrepancy.resolved_by) == ("open", "", None)
    assert not AuditEntry.objects.filter(action=ACTION_RESOLVE).exists()
    assert StatusTransition.objects.count() == transitions_before


def test_a_resolved_discrepancy_cannot_be_resolved_again(configuration, two_lost, staff_user):
    reconciliation_run_start(configuration=configuration, run_date=DAY, trigger="schedule", gateway_rows=[])
    discrepancy = by_key(f"trial:{two_lost[0].pk}")
    discrepancy_resolve(discrepancy=discrepancy, actor=staff_user, resolution="ignored", note="first")

    with pytest.raises(ConflictError, match="is already resolved"):
        discrepancy_resolve(
            discrepancy=discrepancy, actor=staff_user, resolution="written_off", note="second"
        )

    discrepancy.refresh_from_db()
    assert (discrepancy.resolution, discrepancy.resolution_note) == ("ignored", "first")
    assert AuditEntry.objects.filter(action=ACTION_RESOLVE).count() == 1
