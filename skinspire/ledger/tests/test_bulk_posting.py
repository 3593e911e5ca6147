from decimal import Decimal

import pytest

from skinspire.ledger.chart import BANK, GATEWAY_FEES, RAZORPAY_CLEARING
from skinspire.ledger.errors import EntryConflictError, UnbalancedEntryError
from skinspire.ledger.models import JournalEntry, JournalLine
from skinspire.ledger.services import EntrySpec, LineSpec, post_entries_bulk, post_entry
from skinspire.ledger.services import bulk as bulk_module

pytestmark = pytest.mark.django_db


def settlement(number: int, amount: Decimal = Decimal("100.00")) -> EntrySpec:
    """A settlement line moving money from the Razorpay clearing account to the bank."""
    return EntrySpec(
        source=("settlement", f"setl_{number}"),
        event="settlement.settled",
        lines=[LineSpec(BANK, debit=amount), LineSpec(RAZORPAY_CLEARING, credit=amount)],
        memo=f"Settlement {number}",
    )


def test_bulk_posts_every_entry_with_its_lines(chart, hospital, staff_user):
    posted = post_entries_bulk(
        hospital=hospital, entries=[settlement(1), settlement(2, Decimal("0.01"))], created_by=staff_user
    )

    assert posted == 2
    entries = JournalEntry.objects.order_by("source_id")
    assert [(e.source_id, e.event, e.memo, e.created_by_id) for e in entries] == [
        ("setl_1", "settlement.settled", "Settlement 1", staff_user.pk),
        ("setl_2", "settlement.settled", "Settlement 2", staff_user.pk),
    ]
    assert list(
        JournalLine.objects.order_by("entry__source_id", "id").values_list(
            "entry__source_id", "account__code", "debit", "credit"
        )
    ) == [
        ("setl_1", "1000", Decimal("100.00"), Decimal("0.00")),
        ("setl_1", "1100", Decimal("0.00"), Decimal("100.00")),
        ("setl_2", "1000", Decimal("0.01"), Decimal("0.00")),
        ("setl_2", "1100", Decimal("0.00"), Decimal("0.01")),
    ]


def test_entries_already_posted_are_skipped_across_calls(chart, hospital):
    assert post_entries_bulk(hospital=hospital, entries=[settlement(1), settlement(2)]) == 2
    post_entry(
        hospital=hospital,
        source=("settlement", "setl_3"),
        event="settlement.settled",
        lines=settlement(3).lines,
    )

    posted = post_entries_bulk(hospital=hospital, entries=[settlement(n) for n in range(1, 6)])

    assert posted == 2
    assert JournalEntry.objects.count() == 5
    assert JournalLine.objects.count() == 10


def test_identical_duplicates_in_one_call_are_posted_once(chart, hospital):
    assert post_entries_bulk(hospital=hospital, entries=[settlement(1), settlement(1), settlement(2)]) == 2
    assert JournalEntry.objects.count() == 2


def test_conflicting_duplicates_in_one_call_write_nothing(chart, hospital):
    with pytest.raises(EntryConflictError):
        post_entries_bulk(hospital=hospital, entries=[settlement(1), settlement(2), settlement(1, "99.00")])

    assert JournalEntry.objects.count() == 0


def test_conflict_with_an_earlier_posting_rolls_the_whole_call_back(chart, hospital):
    post_entries_bulk(hospital=hospital, entries=[settlement(1)])

    with pytest.raises(EntryConflictError) as raised:
        post_entries_bulk(hospital=hospital, entries=[settlement(2), settlement(1, "99.00")])

    assert raised.value.extra == {"entry_id": JournalEntry.objects.get().pk}
    assert list(JournalEntry.objects.values_list("source_id", flat=True)) == ["setl_1"]


def test_one_invalid_entry_writes_nothing(chart, hospital):
    unbalanced = EntrySpec(
        source=("settlement", "setl_9"),
        event="settlement.settled",
        lines=[
            LineSpec(BANK, debit="100.00"),
            LineSpec(RAZORPAY_CLEARING, credit="98.00"),
            LineSpec(GATEWAY_FEES, credit="1.00"),
        ],
    )

    with pytest.raises(UnbalancedEntryError):
        post_entries_bulk(hospital=hospital, entries=[settlement(1), unbalanced])

    assert JournalEntry.objects.count() == 0
    assert JournalLine.objects.count() == 0


def test_many_batches_and_a_rerun(chart, hospital, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(bulk_module, "BATCH_SIZE", 3)
    entries = [settlement(n, f"{n}.00") for n in range(1, 11)]

    # 1 account lookup, savepoint + commit, then per batch of 3: a key check, a savepoint,
    # entries, lines and the savepoint's release (4 batches).
    with django_assert_max_num_queries(1 + 2 + 4 * 5):
        assert post_entries_bulk(hospital=hospital, entries=entries) == 10
    assert post_entries_bulk(hospital=hospital, entries=entries + [settlement(11)]) == 1

    assert JournalEntry.objects.count() == 11
    credits = sorted(JournalLine.objects.filter(credit__gt=0).values_list("credit", flat=True))
    assert credits == [Decimal(f"{n}.00") for n in range(1, 11)] + [Decimal("100.00")]


def test_empty_list_posts_nothing(chart, hospital):
    assert post_entries_bulk(hospital=hospital, entries=[]) == 0
