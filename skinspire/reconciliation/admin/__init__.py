"""Reconciliation in admin, for accountants: runs (and starting one), items, discrepancies."""

from skinspire.reconciliation.admin import discrepancies, runs  # noqa: F401  (registers the admins)
