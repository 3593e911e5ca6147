"""core's security check: weak or default keys and a wildcard host are errors, by rule."""

import pytest
from django.core import checks

from skinspire.core.checks import security_settings_check
from skinspire.settings import insecure_defaults

STRONG_SECRET_KEY = "k8#x2!p0vQz9Lr7w@Nc4Ty6Ub1Hs3Fd5Gj8Km0Xe2Wa4Zq6Rt9Yu1Io3Pl5Sn7Bv"
STRONG_FIELD_KEY = "Xq3vB9pL2mN7wR4tY8uK1sD6fG0hJ5zC"  # exactly 32 characters
STRONG_SALT = "p4Lw9Qz2Xr7Nc1Tb"  # exactly 16 characters


@pytest.fixture
def strong(settings):
    settings.SECRET_KEY = STRONG_SECRET_KEY
    settings.FIELD_ENCRYPTION_KEYS = [STRONG_FIELD_KEY]
    settings.FIELD_ENCRYPTION_SALT = STRONG_SALT
    settings.ALLOWED_HOSTS = ["payments.skinspire.example", ".skinspire.example"]
    return settings


def messages() -> list[tuple[str | None, str]]:
    return [(message.id, message.msg) for message in security_settings_check()]


def test_strong_values_at_the_minimum_lengths_pass(strong):
    assert messages() == []


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ([], [("skinspire.E001", "FIELD_ENCRYPTION_KEYS is empty.")]),
        ([""], [("skinspire.E002", "FIELD_ENCRYPTION_KEYS key 1 of 1 is empty.")]),
        (["k"], [("skinspire.E002", "FIELD_ENCRYPTION_KEYS key 1 of 1 is shorter than 32 characters.")]),
        (
            [STRONG_FIELD_KEY, STRONG_FIELD_KEY[:31]],
            [("skinspire.E002", "FIELD_ENCRYPTION_KEYS key 2 of 2 is shorter than 32 characters.")],
        ),
        (
            ["ab" * 20],
            [("skinspire.E002", "FIELD_ENCRYPTION_KEYS key 1 of 1 has fewer than 5 distinct characters.")],
        ),
        (
            [insecure_defaults.FIELD_ENCRYPTION_KEY],
            [
                (
                    "skinspire.E002",
                    "FIELD_ENCRYPTION_KEYS key 1 of 1 is a development default published in this repository.",
                )
            ],
        ),
        (
            [insecure_defaults.SECRET_KEY],
            [
                (
                    "skinspire.E002",
                    "FIELD_ENCRYPTION_KEYS key 1 of 1 is a development default published in this repository.",
                )
            ],
        ),
        (
            [STRONG_SECRET_KEY],
            [
                (
                    "skinspire.E002",
                    "FIELD_ENCRYPTION_KEYS key 1 of 1 is SECRET_KEY (the two must be independent, "
                    "so rotating one never exposes the other).",
                )
            ],
        ),
    ],
    ids=[
        "none",
        "empty",
        "one-character",
        "short-old-key",
        "low-variety",
        "dev-default",
        "dev-secret",
        "secret",
    ],
)
def test_weak_field_encryption_keys_are_errors(strong, keys, expected):
    strong.FIELD_ENCRYPTION_KEYS = keys
    assert messages() == expected


@pytest.mark.parametrize(
    ("salt", "reason"),
    [
        ("", "is empty"),
        ("s", "is shorter than 16 characters"),
        (STRONG_SALT[:15], "is shorter than 16 characters"),
        (insecure_defaults.FIELD_ENCRYPTION_SALT, "is a development default published in this repository"),
        (insecure_defaults.SECRET_KEY, "is a development default published in this repository"),
    ],
    ids=["empty", "one-character", "fifteen", "dev-default", "dev-secret"],
)
def test_weak_salts_are_errors(strong, salt, reason):
    strong.FIELD_ENCRYPTION_SALT = salt
    assert messages() == [("skinspire.E003", f"FIELD_ENCRYPTION_SALT {reason}.")]


def test_the_development_secret_key_is_an_error(strong):
    strong.SECRET_KEY = insecure_defaults.SECRET_KEY
    assert messages() == [
        ("skinspire.E004", "SECRET_KEY is a development default published in this repository.")
    ]


def test_a_wildcard_allowed_host_is_an_error(strong):
    strong.ALLOWED_HOSTS = ["payments.skinspire.example", "*"]
    assert [message_id for message_id, _ in messages()] == ["skinspire.E005"]


def test_messages_never_contain_the_secret(strong):
    strong.FIELD_ENCRYPTION_KEYS = [STRONG_FIELD_KEY[:20]]
    strong.FIELD_ENCRYPTION_SALT = STRONG_SALT[:10]
    rendered = " ".join(f"{message.msg} {message.hint}" for message in security_settings_check())
    assert STRONG_FIELD_KEY[:20] not in rendered and STRONG_SALT[:10] not in rendered


def test_it_is_a_deployment_check_outside_production():
    # Development and test settings keep their published defaults; only --deploy judges them.
    assert security_settings_check in checks.registry.registry.get_checks(include_deployment_checks=True)
    assert security_settings_check not in checks.registry.registry.get_checks(include_deployment_checks=False)
