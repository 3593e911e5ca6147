"""Ledger failures. All are ApplicationErrors, so the API renders them the same way."""

from skinspire.core.errors import ApplicationError, ConflictError


class LedgerError(ApplicationError):
    """A posting that breaks a double-entry rule (unbalanced, zero, bad line, bad account)."""


class UnbalancedEntryError(LedgerError):
    pass


class ZeroEntryError(LedgerError):
    pass


class EntryConflictError(ConflictError):
    """The same (source, event) was posted before with different lines."""


class ImmutableEntryError(ConflictError):
    """Posted entries and lines are never edited or deleted; post a reversing entry instead."""
