import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from skinspire.core.money import MoneyError
from skinspire.core.tests.factories import BranchFactory
from skinspire.ledger.chart import ACCOUNTS_PAYABLE, BANK, GATEWAY_FEES, RAZORPAY_CLEARING
from skinspire.ledger.errors import LedgerError, UnbalancedEntryError, ZeroEntryError
from skinspire.ledger.models import Account, JournalEntry, JournalLine
from skinspire.ledger.services import LineSpec, post_entry
from skinspire.ledger.tests.factories import AccountFactory, pay_supplier

pytestmark = pytest.mark.django_db


def assert_nothing_written():
    assert JournalEntry.objects.count() == 0
    assert JournalLine.objects.count() == 0


def test_balanced_entry_is_posted_with_its_lines(chart, hospital, staff_user):
    entry = post_entry(
        hospital=hospital,
        source=("payouts.supplierpayment", "41"),
        event="payout.processed",
        lines=[
            LineSpec(ACCOUNTS_PAYABLE, debit=Decimal("1500.00"), memo="invoice INV-7"),
            LineSpec(RAZORPAY_CLEARING, credit=Decimal("1488.20")),
            LineSpec(GATEWAY_FEES, debit=Decimal("0.00"), credit=Decimal("11.80")),
        ],
        memo="Supplier payout",
        entry_date=datetime.date(2026, 4, 1),
        created_by=staff_user,
    )

    entry.refresh_from_db()
    assert (entry.hospital_id, entry.source_type, entry.source_id, entry.event) == (
        hospital.pk,
        "payouts.supplierpayment",
        "41",
        "payout.processed",
    )
    assert (entry.entry_date, entry.memo, entry.created_by_id, entry.reverses_id) == (
        datetime.date(2026, 4, 1),
        "Supplier payout",
        staff_user.pk,
        None,
    )
    assert list(entry.lines.values_list("account__code", "debit", "credit", "memo")) == [
        ("2000", Decimal("1500.00"), Decimal("0.00"), "invoice INV-7"),
        ("1100", Decimal("0.00"), Decimal("1488.20"), ""),
        ("5000", Decimal("0.00"), Decimal("11.80"), ""),
    ]


def test_a_model_instance_is_recorded_by_label_and_primary_key(chart, hospital):
    branch = BranchFactory(hospital=hospital)

    entry = post_entry(hospital=hospital, source=branch, event="opening", lines=pay_supplier("10"))

    assert (entry.source_type, entry.source_id) == ("core.branch", str(branch.pk))
    assert entry.entry_date == timezone.localdate()
    assert entry.created_by is None


def test_amounts_given_as_strings_are_parsed_exactly(chart, hospital):
    entry = post_entry(
        hospital=hospital,
        source=("manual", "1"),
        event="test",
        lines=[
            LineSpec(BANK, debit="0.10"),
            LineSpec(BANK, debit="0.20"),
            LineSpec(ACCOUNTS_PAYABLE, credit="0.30"),
        ],
    )

    assert list(entry.lines.values_list("debit", "credit")) == [
        (Decimal("0.10"), Decimal("0")),
        (Decimal("0.20"), Decimal("0")),
        (Decimal("0"), Decimal("0.30")),
    ]


def test_unbalanced_entry_is_refused_and_nothing_is_written(chart, hospital):
    lines = [LineSpec(ACCOUNTS_PAYABLE, debit=Decimal("100.00")), LineSpec(BANK, credit=Decimal("99.99"))]

    with pytest.raises(UnbalancedEntryError) as raised:
        post_entry(hospital=hospital, source=("manual", "1"), event="test", lines=lines)

    assert raised.value.extra == {"debit": "100.00", "credit": "99.99"}
    assert_nothing_written()


@pytest.mark.parametrize(
    "lines",
    [
        [],
        [LineSpec(BANK), LineSpec(ACCOUNTS_PAYABLE)],
        [LineSpec(BANK, debit=Decimal("0.00")), LineSpec(ACCOUNTS_PAYABLE, credit=Decimal("0"))],
    ],
)
def test_zero_entry_is_refused(chart, hospital, lines):
    with pytest.raises(ZeroEntryError):
        post_entry(hospital=hospital, source=("manual", "1"), event="test", lines=lines)

    assert_nothing_written()


@pytest.mark.parametrize("amount", ["10.005", Decimal("0.001"), "1e-3"])
def test_sub_paise_amount_is_refused(chart, hospital, amount):
    lines = [LineSpec(BANK, debit=amount), LineSpec(ACCOUNTS_PAYABLE, credit=amount)]

    with pytest.raises(MoneyError):
        post_entry(hospital=hospital, source=("manual", "1"), event="test", lines=lines)

    assert_nothing_written()


def test_float_amount_is_refused(chart, hospital):
    lines = [LineSpec(BANK, debit=10.5), LineSpec(ACCOUNTS_PAYABLE, credit=10.5)]

    with pytest.raises(MoneyError):
        post_entry(hospital=hospital, source=("manual", "1"), event="test", lines=lines)

    assert_nothing_written()


@pytest.mark.parametrize(
    "lines",
    [
        # One line with both sides.
        [
            LineSpec(BANK, debit=Decimal("5"), credit=Decimal("5")),
            LineSpec(ACCOUNTS_PAYABLE, debit=Decimal("1"), credit=Decimal("1")),
        ],
        # A negative amount balanced by a positive one on the same side.
        [
            LineSpec(BANK, debit=Decimal("-5")),
            LineSpec(BANK, debit=Decimal("10")),
            LineSpec(ACCOUNTS_PAYABLE, credit=Decimal("5")),
        ],
        # A line with neither side beside real lines.
        [
            LineSpec(BANK, debit=Decimal("5")),
            LineSpec(ACCOUNTS_PAYABLE, credit=Decimal("5")),
            LineSpec(GATEWAY_FEES),
        ],
    ],
)
def test_malformed_lines_are_refused(chart, hospital, lines):
    with pytest.raises(LedgerError):
        post_entry(hospital=hospital, source=("manual", "1"), event="test", lines=lines)

    assert_nothing_written()


def test_account_of_another_hospital_is_refused(chart, hospital, other_hospital):
    foreign = AccountFactory(hospital=other_hospital, code="7777")
    lines = [LineSpec(foreign.code, debit=Decimal("50")), LineSpec(BANK, credit=Decimal("50"))]

    with pytest.raises(LedgerError) as raised:
        post_entry(hospital=hospital, source=("manual", "1"), event="test", lines=lines)

    assert raised.value.extra == {"accounts": ["7777"]}
    assert_nothing_written()


def test_hospital_without_a_chart_cannot_post(hospital):
    with pytest.raises(LedgerError) as raised:
        post_entry(hospital=hospital, source=("manual", "1"), event="test", lines=pay_supplier("1"))

    assert raised.value.extra == {"accounts": ["1000", "2000"]}
    assert_nothing_written()


def test_unsaved_source_and_missing_event_are_refused(chart, hospital):
    with pytest.raises(LedgerError):
        post_entry(
            hospital=hospital,
            source=BranchFactory.build(hospital=hospital),
            event="x",
            lines=pay_supplier("1"),
        )
    with pytest.raises(LedgerError):
        post_entry(hospital=hospital, source=("manual", ""), event="x", lines=pay_supplier("1"))
    with pytest.raises(LedgerError):
        post_entry(hospital=hospital, source=("manual", "1"), event="", lines=pay_supplier("1"))

    assert_nothing_written()


def test_database_refuses_a_line_with_both_sides(chart, hospital):
    entry = post_entry(hospital=hospital, source=("manual", "1"), event="test", lines=pay_supplier("1"))
    bank = Account.objects.get(hospital=hospital, code=BANK)

    with pytest.raises(IntegrityError), transaction.atomic():
        JournalLine.objects.create(entry=entry, account=bank, debit=Decimal("1"), credit=Decimal("1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        JournalLine.objects.create(entry=entry, account=bank, debit=Decimal("0"), credit=Decimal("0"))

    assert JournalLine.objects.count() == 2
