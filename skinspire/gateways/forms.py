"""The admin form for gateway configurations, built from the providers' configuration schemas.

Each registered provider's fields appear as "<provider>_<field>" (razorpay_key_secret,
paytm_mid), in a fieldset of their own; only the chosen provider's are read. Public ones
are plain inputs showing their stored value. Secrets are write-only: a password input that
is never rendered back, with a hint showing at most the last 4 characters of what is
stored; a blank one keeps the stored value. Every rule is the service's
(skinspire.gateways.rules): the form runs it and shows each message on its field.
"""

from django import forms
from django.db import models

from skinspire.core.errors import ApplicationError
from skinspire.core.redaction import mask_secret
from skinspire.gateways import storage
from skinspire.gateways.models import Capability, GatewayConfiguration, validate_ip_networks
from skinspire.gateways.providers.interface.configuration import ConfigurationField
from skinspire.gateways.providers.schemas import is_registered, provider_names, schema_for
from skinspire.gateways.rules import gateway_configuration_plan
from skinspire.gateways.services import EDITABLE_FIELD_NAMES


def form_field_name(provider: str, name: str) -> str:
    return f"{provider}_{name}"


def provider_form_field_names(provider: str) -> list[str]:
    return [form_field_name(provider, item.name) for item in schema_for(provider).fields]


def every_provider_form_field_name() -> list[str]:
    return [name for provider in provider_names() for name in provider_form_field_names(provider)]


def secret_field(item: ConfigurationField) -> forms.CharField:
    return forms.CharField(
        label=item.label,
        required=False,
        strip=True,
        max_length=item.max_length,
        # render_value=False: a typed secret is not sent back even when the form has errors.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )


def public_field(item: ConfigurationField) -> forms.CharField:
    return forms.CharField(
        label=item.label, required=False, strip=True, max_length=item.max_length, help_text=item.help_text
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
    webhook_allowed_ips = forms.CharField(
        label="Webhook sender addresses",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One IP address or network (10.0.0.0/8) per line. Empty: deliveries from any address.",
    )

    class Meta:
        model = GatewayConfiguration
        # The provider fields are deliberately absent: they are declared in __init__ as
        # unbound form fields, so the ModelForm never copies a blank into the instance.
        fields = list(EDITABLE_FIELD_NAMES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["webhook_allowed_ips"] = "\n".join(self.instance.webhook_allowed_ips or [])
        for provider in provider_names():
            stored_public, stored_secrets = self._stored(provider)
            for item in schema_for(provider).fields:
                name = form_field_name(provider, item.name)
                if item.secret:
                    self.fields[name] = secret_field(item)
                    self.fields[name].help_text = self._hint(stored_secrets.get(item.name, ""), item)
                else:
                    self.fields[name] = public_field(item)
                    self.initial.setdefault(name, stored_public.get(item.name, ""))

    def _stored(self, provider: str) -> tuple[dict[str, str], dict[str, str]]:
        """The provider's stored values, if this configuration is that provider's."""
        if self.instance.pk is None or self.instance.provider != provider:
            return {}, {}
        stored = GatewayConfiguration.objects.get(pk=self.instance.pk)
        return storage.public_values(configuration=stored, schema=schema_for(provider)), stored.secrets

    @staticmethod
    def _hint(stored: str, item: ConfigurationField) -> str:
        status = f"set: {mask_secret(stored)} — leave blank to keep" if stored else "Not set."
        return f"{status} {item.help_text}".strip()

    def clean_webhook_allowed_ips(self) -> list[str]:
        entries = [
            line.strip() for line in self.cleaned_data["webhook_allowed_ips"].splitlines() if line.strip()
        ]
        validate_ip_networks(entries)
        return entries

    def provider_values(self) -> dict[str, str]:
        """The chosen provider's values as the service takes them: every public field, and
        the secrets that were typed."""
        provider = self.cleaned_data.get("provider")
        if not provider or not is_registered(provider):
            return {}
        values = {}
        for item in schema_for(provider).fields:
            value = self.cleaned_data.get(form_field_name(provider, item.name)) or ""
            if value or not item.secret:
                values[item.name] = value
        return values

    def clean(self):
        cleaned = super().clean()
        provider = cleaned.get("provider")
        fields = {name: cleaned[name] for name in EDITABLE_FIELD_NAMES if name in cleaned}
        if not provider:
            return cleaned  # the provider field has its own error
        try:
            gateway_configuration_plan(
                configuration=self.instance if self.instance.pk else None,
                fields=fields,
                values=self.provider_values(),
                secrets_entered_again=True,
            )
        except ApplicationError as error:
            self._show(provider, error.extra.get("fields", {}))
        return cleaned

    @staticmethod
    def _names(provider: str) -> list[str]:
        return [item.name for item in schema_for(provider).fields] if is_registered(provider) else []

    def _show(self, provider: str, errors: dict[str, list[str]]) -> None:
        own, already = set(self._names(provider)), set(self.errors)
        for name, messages in errors.items():
            field = form_field_name(provider, name) if name in own else name
            if field in already:
                continue  # the field's own validation has spoken
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
