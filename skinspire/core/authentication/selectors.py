"""Who must pass a second factor, and whether they have."""

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from skinspire.core.roles import ROLE_GATEWAY_ADMIN


def user_is_key_holder(user) -> bool:
    """Superusers and Gateway admins can change where money goes."""
    if not (user and user.is_authenticated):
        return False
    return user.is_superuser or user.groups.filter(name=ROLE_GATEWAY_ADMIN).exists()


def totp_required_for(user) -> bool:
    return settings.REQUIRE_TOTP_FOR_KEY_HOLDERS and user_is_key_holder(user)


def totp_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def user_is_verified(user) -> bool:
    """True once this session passed a TOTP or recovery code (django_otp.middleware.OTPMiddleware)."""
    return getattr(user, "otp_device", None) is not None


def second_factor_pending(user) -> bool:
    """A key holder whose session has not passed the second factor it needs."""
    return totp_required_for(user) and not user_is_verified(user)
