"""What a provider needs configured: its fields, which are secret, their rules, its
capabilities and its official hosts. Each provider package declares one schema (as
django-payments providers declare their kwargs and Saleor plugins their CONFIG_STRUCTURE);
the gateway configuration's storage, service validation, admin form, credentials accessor
and capability guard are built from it, so a new gateway needs no change outside its folder.

Where values live (skinspire.gateways.storage): a public field with `columns` is kept in
those plain, indexed columns of GatewayConfiguration (key_id, merchant_id, account_number:
the webhook receiver finds configurations by them); any other public field in the plain
`public_settings` JSON; a secret field in the one encrypted `secrets` JSON.

"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from skinspire.gateways import endpoints

# The plain, indexed columns a public field may be stored in.
IDENTIFIER_COLUMNS = ("key_id", "merchant_id", "account_number")
# Field names a schema may not use: the form shows each field as "<provider>_<name>", next
# to the model's own fields, and the service reports errors by field name.
RESERVED_NAMES = frozenset(
    {"hospital", "branch", "name", "provider", "mode", "capabilities", "base_url", "payout_base_url"}
)
API, PAYOUTS = endpoints.API, endpoints.PAYOUTS  # the two APIs official_origins names


@dataclass(frozen=True)
class ConfigurationField:
    """One value a gateway account is configured with."""

    name: str
    label: str  # names the provider: it is shown beside other providers' fields
    secret: bool = False
    columns: tuple[str, ...] = ()  # public identifiers: the plain columns that hold it
    required: bool = False
    required_for: tuple[str, ...] = ()  # capabilities that cannot work without it
    max_length: int = 100
    length: int | None = None  # an exact length, when the provider issues fixed-size values
    pattern: str = ""  # a full-match regular expression
    pattern_message: str = ""  # what a value must look like, when it does not
    help_text: str = ""

    def __post_init__(self):
        if self.name in RESERVED_NAMES:
            raise ValueError(f"'{self.name}' is reserved; name the field after what it is for the provider.")
        if self.secret and self.columns:
            raise ValueError(f"The secret '{self.name}' cannot be kept in a plain column.")
        unknown = set(self.columns) - set(IDENTIFIER_COLUMNS)
        if unknown:
            raise ValueError(f"No such identifier column: {', '.join(sorted(unknown))}")

    def problems(self, value: str) -> list[str]:
        """What is wrong with a non-empty `value` on its own."""
        if self.length is not None and len(value) != self.length:
            return [f"{self.label} is {self.length} characters; this one is {len(value)}."]
        if len(value) > self.max_length:
            return [f"{self.label} is at most {self.max_length} characters; this one is {len(value)}."]
        if self.pattern and not re.fullmatch(self.pattern, value):
            return [self.pattern_message or f"{self.label} is not in the form the provider issues."]
        return []


@dataclass(frozen=True)
class ConfigurationSchema:
    label: str  # the provider's name as people know it: "Razorpay"
    fields: tuple[ConfigurationField, ...]
    capabilities: frozenset[str]  # what the provider has an API for
    # (mode, API or PAYOUTS) -> the provider's official origins; the first is the default.
    official_origins: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self):
        names = [item.name for item in self.fields]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.label}: field names repeat.")
        columns = [column for item in self.fields for column in item.columns]
        if len(set(columns)) != len(columns):
            raise ValueError(f"{self.label}: two fields share an identifier column.")

    def field_named(self, name: str) -> ConfigurationField:
        for item in self.fields:
            if item.name == name:
                return item
        raise KeyError(f"{self.label} has no configuration field '{name}'.")

    @property
    def secret_names(self) -> tuple[str, ...]:
        return tuple(item.name for item in self.fields if item.secret)

    @property
    def public_names(self) -> tuple[str, ...]:
        return tuple(item.name for item in self.fields if not item.secret)

    def errors(self, *, values: Mapping[str, str], capabilities: list[str]) -> dict[str, list[str]]:
        """Field errors for a configuration holding `values` (every field's effective value,
        typed or stored) and enabled for `capabilities`; {} when it is usable."""
        errors: dict[str, list[str]] = {}
        unsupported = [name for name in capabilities if name not in self.capabilities]
        if unsupported:
            errors["capabilities"] = [f"{self.label} has no API for {', '.join(unsupported)}."]
        for item in self.fields:
            value = values.get(item.name, "")
            problems = item.problems(value) if value else self._missing(item, capabilities)
            if problems:
                errors[item.name] = problems
        return errors

    def _missing(self, item: ConfigurationField, capabilities: list[str]) -> list[str]:
        if item.required:
            return [f"{item.label} is required for {self.label}."]
        needing = [name for name in item.required_for if name in capabilities]
        if needing:
            return [f"{item.label} is required for {needing[0].replace('_', ' ')}."]
        return []
