"""A tests-only app holding a model with a state machine, for core's transition tests.

Installed only by skinspire.settings.test. It has no migrations on purpose: makemigrations
leaves apps without a migrations package alone, and the test database creates its table
directly (syncdb), so no migration for it can ever reach production.
"""
