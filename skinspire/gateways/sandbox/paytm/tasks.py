"""Celery tasks of the paytm sandbox (imported by skinspire.gateways.sandbox.tasks)."""
