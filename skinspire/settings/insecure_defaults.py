"""The secrets development and tests run with when the environment gives none.

Published in this repository, so worthless as secrets: production never falls back to
them, and core's security check (skinspire.core.checks) refuses any of them as a key.
"""

SECRET_KEY = "dev-only-insecure-secret-key-change-me"
FIELD_ENCRYPTION_KEY = "dev-only-field-encryption-key-change-me"
FIELD_ENCRYPTION_SALT = "skinspire-dev-salt"

ALL = (SECRET_KEY, FIELD_ENCRYPTION_KEY, FIELD_ENCRYPTION_SALT)
