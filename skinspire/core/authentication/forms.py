"""The admin login form with the second factor, and the code form of the TOTP pages."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core import validators

from skinspire.core.authentication.selectors import totp_enrolled, totp_required_for
from skinspire.core.authentication.totp import CODE_MAX_LENGTH, totp_verify


class CodeInput(forms.TextInput):
    """A code is never shown back: a wrong one is typed afresh, and a hostile one (NUL,
    100,000 characters) is not echoed into the page."""

    def format_value(self, value):
        return None


def without_nul_check(field_validators: list) -> list:
    """A code field's validators less the NUL check Django's and DRF's CharField add: a code
    holding NUL must reach totp_verify, which refuses it as a wrong code, counted."""
    return [
        validator
        for validator in field_validators
        if not isinstance(validator, validators.ProhibitNullCharactersValidator)
    ]


class CodeField(forms.CharField):
    """Any text typed as a code reaches the check (totp.totp_verify), which refuses one too
    long or holding NUL as a wrong code: so a malformed code is counted towards the lockout
    like a wrong 6-digit one. A field error here (max_length, Django's NUL validator) would
    refuse it uncounted, a free try. The browser still stops at CODE_MAX_LENGTH."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = without_nul_check(self.validators)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": str(CODE_MAX_LENGTH)}


CODE_WIDGET = CodeInput(
    attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none"}
)


WRONG_CODE = (
    "Wrong or expired two-factor code. Enter the code your app shows now, or a recovery code "
    "(after a wrong code, wait a few seconds: each one in a row doubles the wait)."
)


class CodeForm(forms.Form):
    otp_token = CodeField(label="Code", widget=CODE_WIDGET)


class AdminLoginForm(AdminAuthenticationForm):
    """Password first (axes watches that authenticate() call), then the TOTP code for an
    enrolled key holder. A key holder not yet enrolled is let in only as far as enrolment."""

    otp_token = CodeField(
        label="Two-factor code",
        required=False,
        widget=CODE_WIDGET,
        help_text="Superusers and Gateway admins: the code from your authenticator app, or a recovery code.",
    )

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        if user is None or not totp_required_for(user) or not totp_enrolled(user):
            return cleaned_data
        token = cleaned_data.get("otp_token", "")
        if not token:
            raise forms.ValidationError("Enter the two-factor code from your authenticator app.")
        device = totp_verify(user=user, token=token)
        if device is None:
            # Counted by axes like a wrong password, so codes cannot be guessed at leisure.
            user_login_failed.send(
                sender=__name__, credentials={"username": user.get_username()}, request=self.request
            )
            raise forms.ValidationError(WRONG_CODE)
        # django_otp's user_logged_in receiver stores this device in the session at login().
        user.otp_device = device
        return cleaned_data
