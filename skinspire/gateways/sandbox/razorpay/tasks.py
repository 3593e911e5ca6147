"""Celery tasks of the razorpay sandbox (imported by skinspire.gateways.sandbox.tasks)."""
