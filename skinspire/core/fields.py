"""Encrypted model fields, built on django-fernet-encrypted-fields.

The library derives its Fernet keys from SECRET_KEY and, on a value it cannot decrypt,
silently hands back the ciphertext as if it were the secret. For gateway credentials we
want neither: keys come from FIELD_ENCRYPTION_KEYS (newest first, see
settings/encryption.py) and an undecryptable value is an error, not a credential.
"""

import base64
import functools
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from encrypted_fields.fields import EncryptedCharField

KEY_DERIVATION_ITERATIONS = 200_000


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


@functools.cache
def _derive_key(secret: str, salt: str) -> bytes:
    kdf = PBKDF2HMAC(
        algorithm=hashes.SHA256(), length=32, salt=salt.encode(), iterations=KEY_DERIVATION_ITERATIONS
    )
    return base64.urlsafe_b64encode(kdf.derive(secret.encode()))


def _configured_fernets() -> list[Fernet]:
    secrets = [key for key in settings.FIELD_ENCRYPTION_KEYS if key]
    if not secrets:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must name at least one key.")
    salt = settings.FIELD_ENCRYPTION_SALT
    return [Fernet(_derive_key(secret, salt)) for secret in secrets]


def field_fernet() -> MultiFernet:
    """MultiFernet over FIELD_ENCRYPTION_KEYS: encrypts with the first, decrypts with any."""
    return MultiFernet(_configured_fernets())


def current_key_fernet() -> Fernet:
    """The first key alone: what `rotate_encryption_keys --verify` checks every value against."""
    return _configured_fernets()[0]


class SecretCharField(EncryptedCharField):
    """A CharField stored as Fernet ciphertext under FIELD_ENCRYPTION_KEYS."""

    @property
    def f(self) -> MultiFernet:  # the library's name for its Fernet instance
        # Not cached: settings may change (key rotation, tests) within one process.
        return field_fernet()

    def get_prep_value(self, value):
        # The library turns an empty value into NULL, but these columns are NOT NULL
        # (blank=True, null=False): an unset credential is stored as "" instead.
        encrypted = super().get_prep_value(value)
        if encrypted is None and not self.null:
            return ""
        return encrypted

    def value_to_string(self, obj):
        # What every serializer writes (dumpdata, fixtures, backups): the Fernet token, never
        # the clear value. loaddata hands it to to_python, which decrypts it with the same keys.
        return self.get_prep_value(self.value_from_object(obj))

    def to_python(self, value):
        if value is None or not isinstance(value, str) or hasattr(self, "_already_decrypted"):
            return value
        if not value.startswith("gAAAA"):  # not a Fernet token: a plain value from a form
            return value
        try:
            return self.f.decrypt(value.encode()).decode()
        except InvalidToken as error:
            raise DecryptionError(
                f"{self.model.__name__}.{self.name} cannot be decrypted with FIELD_ENCRYPTION_KEYS."
            ) from error


class SecretJSONField(SecretCharField):
    """A dict of strings kept as ONE Fernet token of its JSON: a model whose set of secrets
    depends on something else (a gateway configuration's provider) encrypts them all in one
    column. An empty dict is stored as "". It is a SecretCharField, so key rotation
    (rotate_encryption_keys) and serialisation (dumpdata writes the token) treat it alike."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        # The column is text (the library's internal type); this bounds model validation only.
        kwargs.setdefault("max_length", 10_000)
        super().__init__(*args, **kwargs)

    def get_prep_value(self, value):
        if isinstance(value, str):
            value = self.to_python(value)
        if not value:
            return ""
        text = json.dumps(dict(value), sort_keys=True, separators=(",", ":"))
        return self.f.encrypt(text.encode()).decode()

    def to_python(self, value):
        if value is None or value == "":
            return {}
        if not isinstance(value, str):
            return dict(value)
        text = super().to_python(value)  # decrypts a token, passes plain JSON through
        return json.loads(text)
