"""Property: whatever is posted (and reversed, and re-posted, and refused), the book balances."""

from collections import Counter
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from skinspire.core.tests.factories import HospitalFactory
from skinspire.ledger.chart import DEFAULT_ACCOUNTS
from skinspire.ledger.errors import UnbalancedEntryError
from skinspire.ledger.models import JournalEntry
from skinspire.ledger.selectors import trial_balance
from skinspire.ledger.services import LineSpec, chart_of_accounts_create, post_entry, reverse_entry

CODES = [account.code for account in DEFAULT_ACCOUNTS]
# Up to ₹1 crore per leg, in whole paise.
amounts = st.integers(min_value=1, max_value=10**9).map(lambda paise: Decimal(paise) / 100)
# A transfer is one debit and one credit of the same amount; an entry is one to three of them,
# so entries have two to six lines and may hit one account on both sides.
transfers = st.tuples(st.sampled_from(CODES), st.sampled_from(CODES), amounts)
operations = st.one_of(
    st.tuples(st.just("post"), st.lists(transfers, min_size=1, max_size=3)),
    st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=50)),
    st.tuples(st.just("repost"), st.integers(min_value=0, max_value=50)),
    st.tuples(st.just("unbalanced"), st.lists(transfers, min_size=1, max_size=3)),
)


def lines_for(entry_transfers):
    lines = []
    for debit_code, credit_code, amount in entry_transfers:
        lines += [LineSpec(debit_code, debit=amount), LineSpec(credit_code, credit=amount)]
    return lines


class TrialBalanceProperty(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.hospital = HospitalFactory()
        chart_of_accounts_create(hospital=cls.hospital)

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(operations, max_size=12))
    def test_trial_balance_is_zero_after_any_sequence_of_postings(self, steps):
        expected = Counter()  # account code -> debit minus credit, kept independently of the database
        posted = []  # (entry, its lines)
        for number, (kind, argument) in enumerate(steps):
            if kind == "post":
                lines = lines_for(argument)
                posted.append((self.post(f"op-{number}", lines), lines))
                self.add(expected, lines, sign=1)
            elif kind in ("reverse", "repost") and posted:
                entry, lines = posted[argument % len(posted)]
                self.replay(kind, entry, lines, expected)
            elif kind == "unbalanced":
                lines = lines_for(argument) + [LineSpec(CODES[0], debit=Decimal("0.01"))]
                before = JournalEntry.objects.count()
                with self.assertRaises(UnbalancedEntryError):
                    self.post(f"op-{number}", lines)
                assert JournalEntry.objects.count() == before

        rows = trial_balance(hospital=self.hospital)
        assert sum(row.debit for row in rows) == sum(row.credit for row in rows)
        assert sum(row.balance for row in rows) == Decimal("0.00")
        assert {row.code: row.balance for row in rows} == {code: expected[code] for code in CODES}

    def post(self, source_id, lines):
        return post_entry(hospital=self.hospital, source=("property", source_id), event="posted", lines=lines)

    def replay(self, kind, entry, lines, expected):
        if kind == "repost":
            # Idempotent: the same event again changes nothing.
            assert self.post(entry.source_id, lines).pk == entry.pk
        elif not entry.reversals.exists():
            reverse_entry(entry=entry, reason="property test")
            self.add(expected, lines, sign=-1)
        else:
            # Reversing again is idempotent too.
            reverse_entry(entry=entry, reason="again")

    @staticmethod
    def add(expected, lines, *, sign):
        for line in lines:
            expected[line.account_code] += sign * (line.debit - line.credit)
