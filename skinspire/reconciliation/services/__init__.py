"""Reconciliation's writes: runs (runs.py, results.py) and discrepancies (discrepancies.py)."""
