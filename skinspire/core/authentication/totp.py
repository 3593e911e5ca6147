"""TOTP enrolment, verification, recovery codes and reset (django-otp devices)."""

import re
from base64 import b32encode, b64encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from skinspire.core.audit import audit_entry_record
from skinspire.core.errors import ApplicationError, ConflictError
from skinspire.core.text import counted

ACTION_TOTP_ENROL = "auth.totp_enrol"
ACTION_TOTP_RESET = "auth.totp_reset"
TOTP_CODE = re.compile(r"^\d{6}$")
# Longer than any code a person types: 6 digits, or a recovery code (django-otp's StaticToken
# holds 16 characters at most; ours are 8). The browser's limit on the code fields.
CODE_MAX_LENGTH = 32
RECOVERY_CODE_MAX_LENGTH = 16
# Handed to an authenticator in place of text that is no 6-digit code: TOTPDevice.verify_token
# reads its token with int(), which takes "0000000000000000123456" or "1_234_56" for 123456.
NOT_A_NUMBER = "-"
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def totp_enrolment_start(*, user) -> TOTPDevice:
    """The user's pending (unconfirmed) authenticator, made once so reloading keeps its secret."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ConflictError("Two-factor authentication is already set up; ask an admin to reset it.")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def totp_enrolment_confirm(*, user, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the pending authenticator with its first code; returns fresh recovery codes."""
    if device.user_id != user.pk or device.confirmed:
        raise ConflictError("This authenticator is not waiting for confirmation.")
    if not device.verify_is_allowed()[0]:
        # django-otp doubles the wait after each wrong code in a row (1 s, 2 s, 4 s, ...).
        raise ApplicationError("Too many wrong codes in a row: wait a few seconds, then try again.")
    # Verified outside the transaction below, so a wrong code's throttle count is kept.
    code = _normalise(token)
    if not TOTP_CODE.match(code):
        code = NOT_A_NUMBER  # refused as a wrong code (and throttled), whatever int() makes of it
    if not device.verify_token(code):
        raise ApplicationError("That code is not right. Enter the 6-digit code your app shows now.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_replace(user=user)
        audit_entry_record(
            action=ACTION_TOTP_ENROL,
            actor=user,
            target=user,
            message=f"Authenticator app set up; {len(codes)} recovery codes issued",
        )
    return codes


def recovery_codes_replace(*, user) -> list[str]:
    """New single-use recovery codes; any earlier ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.TOTP_RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def totp_verify(*, user, token: str) -> Device | None:
    """The confirmed device that accepts `token` (a 6-digit TOTP code or a recovery code)."""
    token = _normalise(token)
    if not token:
        return None
    if TOTP_CODE.match(token):
        model = TOTPDevice
    elif len(token) <= RECOVERY_CODE_MAX_LENGTH and "\x00" not in token:
        model = StaticDevice
    else:
        # No code at all: too long for any, or holding NUL (which the database could not even
        # compare). Still a wrong code like any other, never a free probe: the authenticator is
        # handed text it cannot read as a number, so it refuses it without a query and counts
        # it in django-otp's throttle, and the caller counts it towards the lockout.
        token, model = NOT_A_NUMBER, TOTPDevice
    for device in model.objects.filter(user=user, confirmed=True):
        # django_otp.verify_token locks the device row, so throttling and a recovery
        # code's single use hold under concurrent attempts.
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    return None


@transaction.atomic
def totp_reset(*, user, actor) -> int:
    """Remove every second-factor device of `user` (lost phone); they enrol again at next login."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        devices = model.objects.filter(user=user)
        removed += devices.count()
        devices.delete()
    audit_entry_record(
        action=ACTION_TOTP_RESET,
        actor=actor,
        target=user,
        message=f"Two-factor authentication reset: {counted(removed, 'device')} removed",
    )
    return removed


def totp_qr_data_uri(*, device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG QR code drawn here, inline in a data: URI (nothing is
    loaded from another host, and no markup has to be marked safe)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return "data:image/svg+xml;base64," + b64encode(image.to_string()).decode()


def totp_secret_text(*, device: TOTPDevice) -> str:
    """The secret in base32, grouped by four, for apps that cannot scan."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def _normalise(token: str) -> str:
    return (token or "").replace(" ", "").replace("-", "").strip().lower()
