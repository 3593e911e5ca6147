"""The admin form for gateway configurations.

Credentials are write-only: each is a password input that is never rendered back, with a
hint showing at most the last 4 characters of what is stored. A blank field keeps the
stored value; `typed_secrets()` hands the service only what was typed. Base URLs are
checked by the service's own rule, and its message is shown on the field it concerns;
a change of provider, mode or base URL asks for the provider's stored secrets again.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from skinspire.core.errors import ApplicationError
from skinspire.core.redaction import mask_secret
from skinspire.gateways.credentials import credentials_for
from skinspire.gateways.destinations import (
    DESTINATION_FIELD_NAMES,
    gateway_configuration_endpoints_check,
    gateway_configuration_secrets_reset,
)
from skinspire.gateways.models import (
    PUBLIC_IDENTIFIER_NAMES,
    SECRET_FIELD_NAMES,
    Capability,
    GatewayConfiguration,
    Provider,
)
from skinspire.gateways.selectors import gateway_configuration_default_conflict
from skinspire.gateways.services import DEFAULT_CONFLICT_MESSAGE, EDITABLE_FIELD_NAMES

PAYTM_MERCHANT_KEY_LENGTH = 16  # AES-128 key, as issued by Paytm
SECRET_LABELS = {
    "razorpay_key_secret": "Razorpay key secret",
    "razorpay_webhook_secret": "Razorpay webhook secret",
    "paytm_merchant_key": "Paytm merchant key",
    "paytm_subwallet_guid": "Paytm payout subwallet GUID",
    "paytm_website": "Paytm website",
    "paytm_client_id": "Paytm client id",
}
# What each provider cannot work without, and what payouts additionally need.
REQUIRED_SECRETS: dict[str, tuple[str, str]] = {
    Provider.RAZORPAY: ("key_id", "razorpay_key_secret"),
    Provider.PAYTM: ("key_id", "paytm_merchant_key"),
}
# The public identifiers are plain fields, named per provider in messages.
IDENTIFIER_LABELS: dict[str, dict[str, str]] = {
    Provider.RAZORPAY: {"key_id": "Razorpay key id", "account_number": "RazorpayX account number"},
    Provider.PAYTM: {"key_id": "Paytm MID"},
}
SECRETS_RESET_MESSAGE = (
    "{label} must be entered again: a change of provider, mode or base URL clears the stored credentials."
)
PAYOUT_SECRETS: dict[str, str] = {
    Provider.RAZORPAY: "account_number",
    Provider.PAYTM: "paytm_subwallet_guid",
}


def secret_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        strip=True,
        # render_value=False: a typed secret is not sent back even when the form has errors.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )


def url_field(name: str) -> forms.URLField:
    model_field = GatewayConfiguration._meta.get_field(name)
    assert isinstance(model_field, models.URLField)
    return forms.URLField(
        required=False,
        max_length=model_field.max_length,
        help_text=model_field.help_text,
        assume_scheme="https",
    )


class GatewayConfigurationForm(forms.ModelForm):
    base_url = url_field("base_url")
    payout_base_url = url_field("payout_base_url")
    capabilities = forms.MultipleChoiceField(
        choices=Capability.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = GatewayConfiguration
        # The secret fields are deliberately absent: they are declared below as unbound
        # form fields, so the ModelForm never copies a blank into the instance.
        fields = list(EDITABLE_FIELD_NAMES)
        labels = {
            "key_id": "Key id (Paytm: MID)",
            "merchant_id": "Merchant id",
            "account_number": "Account number",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_secrets = self._stored_secrets()
        self.secrets_reset = False
        for name in SECRET_FIELD_NAMES:
            self.fields[name] = secret_field(SECRET_LABELS[name])
            self.fields[name].help_text = self._hint(self.stored_secrets.get(name, ""))

    def _stored_secrets(self) -> dict[str, str]:
        if self.instance.pk is None:
            return {}
        credentials = credentials_for(self.instance)
        return {name: getattr(credentials, name) for name in SECRET_FIELD_NAMES}

    @staticmethod
    def _hint(stored: str) -> str:
        if not stored:
            return "Not set."
        return f"set: {mask_secret(stored)} — leave blank to keep"

    def typed_secrets(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in SECRET_FIELD_NAMES if self.cleaned_data.get(name)}

    def _effective_secret(self, name: str) -> str:
        if name in PUBLIC_IDENTIFIER_NAMES:
            return self.cleaned_data.get(name) or ""
        if self.secrets_reset:
            return self.cleaned_data.get(name, "")
        return self.cleaned_data.get(name) or self.stored_secrets.get(name, "")

    def clean(self):
        cleaned = super().clean()
        provider = cleaned.get("provider")
        self.secrets_reset = self._check_destination(cleaned)
        if provider in REQUIRED_SECRETS:
            self._check_secrets_entered_again(provider)
            self._check_provider_secrets(provider, cleaned.get("capabilities") or [])
        self._check_branch_belongs_to_hospital(cleaned)
        self._check_single_default(cleaned)
        return cleaned

    def _check_provider_secrets(self, provider: str, capabilities: list[str]) -> None:
        labels = {**SECRET_LABELS, **IDENTIFIER_LABELS[provider]}
        for name in REQUIRED_SECRETS[provider]:
            if not self._effective_secret(name) and name not in self.errors:
                self.add_error(name, f"{labels[name]} is required for {Provider(provider).label}.")
        name = PAYOUT_SECRETS[provider]
        if (
            Capability.PAYOUTS in capabilities
            and not self._effective_secret(name)
            and name not in self.errors
        ):
            self.add_error(name, f"{labels[name]} is required to make payouts.")
        merchant_key = self.cleaned_data.get("paytm_merchant_key")
        if provider == Provider.PAYTM and merchant_key and len(merchant_key) != PAYTM_MERCHANT_KEY_LENGTH:
            self.add_error(
                "paytm_merchant_key",
                f"A Paytm merchant key is {PAYTM_MERCHANT_KEY_LENGTH} characters; this one is {len(merchant_key)}.",
            )

    def _check_destination(self, cleaned: dict) -> bool:
        """The service's base-URL rule, its messages on their fields; whether the stored
        secrets will be cleared (they were entered for another provider, mode or host)."""
        if not all(name in cleaned for name in DESTINATION_FIELD_NAMES):
            return False  # a field already failed its own validation
        destination = {name: cleaned[name] or "" for name in DESTINATION_FIELD_NAMES}
        try:
            gateway_configuration_endpoints_check(**destination)
        except ApplicationError as error:
            for field, messages in error.extra["fields"].items():
                for message in messages:
                    self.add_error(field, message)
        return gateway_configuration_secrets_reset(configuration=self.instance, changes=destination)

    def _check_secrets_entered_again(self, provider: str) -> None:
        if not self.secrets_reset:
            return
        for name in SECRET_FIELD_NAMES:
            stored, typed = self.stored_secrets.get(name), self.cleaned_data.get(name)
            if name.startswith(provider) and stored and not typed and name not in self.errors:
                self.add_error(name, SECRETS_RESET_MESSAGE.format(label=SECRET_LABELS[name]))

    def _check_branch_belongs_to_hospital(self, cleaned: dict) -> None:
        hospital, branch = cleaned.get("hospital"), cleaned.get("branch")
        if hospital and branch and branch.hospital_id != hospital.pk:
            self.add_error("branch", "This branch belongs to another hospital.")

    def _check_single_default(self, cleaned: dict) -> None:
        hospital = cleaned.get("hospital")
        if not (hospital and cleaned.get("is_default") and cleaned.get("is_active") and cleaned.get("mode")):
            return
        branch = cleaned.get("branch")
        conflict = gateway_configuration_default_conflict(
            hospital_id=hospital.pk,
            branch_id=branch.pk if branch else None,
            mode=cleaned["mode"],
            exclude_pk=self.instance.pk,
        )
        if conflict is not None:
            self.add_error(
                "is_default", ValidationError(f"{DEFAULT_CONFLICT_MESSAGE} (It is “{conflict.name}”.)")
            )
