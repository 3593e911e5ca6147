"""Ledger writes. Import from here: `from skinspire.ledger.services import post_entry`."""

from skinspire.ledger.services.accounts import (
    account_create,
    chart_of_accounts_create,
    chart_of_accounts_setup,
)
from skinspire.ledger.services.bulk import post_entries_bulk
from skinspire.ledger.services.posting import post_entry, reverse_entry
from skinspire.ledger.services.specs import EntrySpec, LineSpec

__all__ = [
    "EntrySpec",
    "LineSpec",
    "account_create",
    "chart_of_accounts_create",
    "chart_of_accounts_setup",
    "post_entries_bulk",
    "post_entry",
    "reverse_entry",
]
