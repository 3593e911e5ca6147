"""Reconciliation in admin, for accountants: runs (and starting one), items, discrepancies."""

from skinspire.reconciliation.admin import discrepancies, runs, settings  # noqa: F401  (registers the admins)
