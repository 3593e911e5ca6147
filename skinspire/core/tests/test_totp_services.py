"""TOTP services: enrolment, verification, reset."""

import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from skinspire.core.authentication import totp
from skinspire.core.errors import ApplicationError, ConflictError
from skinspire.core.tests.factories import UserFactory
from skinspire.core.tests.totp_support import code_for, enrolled_device


@pytest.fixture
def user(db):
    return UserFactory()


def test_enrolment_keeps_one_pending_secret_until_confirmed(user):
    first = totp.totp_enrolment_start(user=user)
    assert totp.totp_enrolment_start(user=user) == first

    codes = totp.totp_enrolment_confirm(user=user, device=first, token=code_for(first))

    assert len(codes) == len(set(codes)) == 10
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", "confirmed")) == [(first.pk, True)]
    with pytest.raises(ConflictError):
        totp.totp_enrolment_start(user=user)


def test_a_wrong_first_code_confirms_nothing(user):
    device = totp.totp_enrolment_start(user=user)
    with pytest.raises(ApplicationError):
        totp.totp_enrolment_confirm(user=user, device=device, token="12345x")
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert not StaticDevice.objects.filter(user=user).exists()


def test_a_code_is_accepted_once(user):
    device = enrolled_device(user)
    code = code_for(device)
    assert totp.totp_verify(user=user, token=code) == device
    assert totp.totp_verify(user=user, token=code) is None


@pytest.mark.parametrize("padded", ["0" * 30 + "{code}", "{code}" + "\x00", "0000{code}"])
def test_the_right_code_padded_is_refused_as_a_wrong_code(user, padded):
    """int() reads "000…0123456" as 123456: text that is no 6-digit code never reaches it,
    and is throttled like a wrong code (as long as it could be no recovery code)."""
    device = enrolled_device(user)
    token = padded.format(code=code_for(device))

    assert totp.totp_verify(user=user, token=token) is None

    device.refresh_from_db()
    assert device.throttling_failure_count == (0 if len(token) <= 16 and "\x00" not in token else 1)


@pytest.mark.parametrize("padded", ["0" * 30 + "{code}", "{code}" + "\x00", "0000{code}", "1_{code}"])
def test_the_right_first_code_padded_confirms_nothing(user, padded):
    device = totp.totp_enrolment_start(user=user)
    with pytest.raises(ApplicationError):
        totp.totp_enrolment_confirm(user=user, device=device, token=padded.format(code=code_for(device)))
    device.refresh_from_db()
    assert not device.confirmed
    assert device.throttling_failure_count == 1


def test_another_users_code_does_not_verify(user):
    other = enrolled_device(UserFactory())
    enrolled_device(user)
    assert totp.totp_verify(user=user, token=code_for(other)) is None


def test_recovery_codes_are_single_use_and_replaced_together(user):
    first = totp.recovery_codes_replace(user=user)
    assert totp.totp_verify(user=user, token=first[0].upper()) is not None
    assert totp.totp_verify(user=user, token=first[0]) is None

    second = totp.recovery_codes_replace(user=user)
    assert totp.totp_verify(user=user, token=second[1]) is not None
    assert totp.totp_verify(user=user, token=first[1]) is None


def test_reset_removes_every_device(user):
    enrolled_device(user)
    totp.recovery_codes_replace(user=user)
    assert totp.totp_reset(user=user, actor=UserFactory(hospital=None, is_superuser=True)) == 2
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
