"""Keys for the encrypted model fields (gateway credentials).

FIELD_ENCRYPTION_KEYS: comma-separated secrets, newest first. Values are always written
with the first key and read with any of them; `manage.py rotate_encryption_keys`
re-encrypts every row under the first key so an old one can then be removed.
FIELD_ENCRYPTION_SALT: the PBKDF2 salt every key is derived with.
Both are independent of SECRET_KEY, so rotating SECRET_KEY never locks credentials away.
"""

from skinspire.settings import insecure_defaults
from skinspire.settings.env import env

FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[insecure_defaults.FIELD_ENCRYPTION_KEY])
FIELD_ENCRYPTION_SALT = env("FIELD_ENCRYPTION_SALT", default=insecure_defaults.FIELD_ENCRYPTION_SALT)
# django-fernet-encrypted-fields reads SALT_KEY; our fields derive keys themselves
# (see skinspire.core.fields) but the setting must exist for the library's own checks.
SALT_KEY = [FIELD_ENCRYPTION_SALT]
