"""The admin login form with the second factor, and the code form of the TOTP pages."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed

from skinspire.core.authentication.selectors import totp_enrolled, totp_required_for
from skinspire.core.authentication.totp import totp_verify

CODE_WIDGET = forms.TextInput(
    attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none"}
)
WRONG_CODE = (
    "Wrong or expired two-factor code. Enter the code your app shows now, or a recovery code "
    "(after a wrong code, wait a few seconds: each one in a row doubles the wait)."
)


class CodeForm(forms.Form):
    otp_token = forms.CharField(label="Code", max_length=32, widget=CODE_WIDGET)


class AdminLoginForm(AdminAuthenticationForm):
    """Password first (axes watches that authenticate() call), then the TOTP code for an
    enrolled key holder. A key holder not yet enrolled is let in only as far as enrolment."""

    otp_token = forms.CharField(
        label="Two-factor code",
        required=False,
        max_length=32,
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
