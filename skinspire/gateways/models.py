import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from skinspire.core.fields import SecretCharField, SecretJSONField
from skinspire.core.models import Branch, Hospital, TimeStampedModel
from skinspire.gateways import endpoints
from skinspire.gateways.providers import schemas


class Provider:
    """The names of the gateways the project ships, for demo data and tests. Which gateways
    exist is settings.GATEWAY_PROVIDERS (skinspire.gateways.providers.schemas), not this."""

    RAZORPAY = "razorpay"
    PAYTM = "paytm"


class Mode(models.TextChoices):
    TEST = "test", "Test"
    LIVE = "live", "Live"


class Capability(models.TextChoices):
    PAYOUTS = "payouts", "Payouts"
    COLLECTIONS = "collections", "Collections"
    PAYOUT_LINKS = "payout_links", "Payout links"
    PAYMENT_LINKS = "payment_links", "Payment links"
    # Penny drop / VPA check of a beneficiary before paying it (RazorpayX fund account validation).
    ACCOUNT_VALIDATION = "account_validation", "Account validation"


# Plain, indexed columns: public, and what a webhook delivery is matched by.
PUBLIC_IDENTIFIER_NAMES = ("key_id", "merchant_id", "account_number")
SECRET_FIELD_NAMES = ("secrets",)


def validate_ip_networks(value) -> None:
    """A list of IP addresses or networks ("10.0.0.0/8"), as the webhook allow list holds."""
    entries = value if isinstance(value, list) else [value]
    for entry in entries:
        try:
            ipaddress.ip_network(str(entry), strict=False)
        except ValueError:
            raise ValidationError(f"{entry!r} is not an IP address or network.") from None


class GatewayConfigurationQuerySet(models.QuerySet):
    def without_secrets(self):
        """Configurations with their encrypted columns unread (credentials_for reads them)."""
        return self.defer(*SECRET_FIELD_NAMES, "webhook_secret_previous")

    def active(self):
        return self.filter(is_active=True)


class GatewayConfiguration(TimeStampedModel):
    """One hospital's (optionally one branch's) account with one gateway, in one mode.

    What the account is configured with is declared by its provider's configuration schema
    (providers/<name>/configuration.py) and kept here by kind, whatever the provider
    (skinspire.gateways.storage):

    - public identifiers in plain, indexed columns (`key_id`, `merchant_id`,
      `account_number`). They are not secrets — a Razorpay key id is in every checkout
      page, the account id and Paytm's MID in every webhook — and the webhook receiver
      finds the configuration a delivery belongs to by them;
    - other public settings in the plain JSON `public_settings`;
    - every secret in `secrets`, ONE encrypted JSON object (a Fernet token), rather than a
      column per secret: a new provider's secrets need no migration, no column ever holds
      a secret in clear, and key rotation re-encrypts the one column. It is deferred by
      `without_secrets()`, so listing and choosing configurations decrypt nothing.
    """

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="gateway_configurations")
    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gateway_configurations",
        help_text="Leave empty for a configuration that serves every branch of the hospital.",
    )
    name = models.CharField(max_length=100)
    provider = models.CharField(max_length=20, choices=schemas.provider_choices)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.TEST)
    is_active = models.BooleanField(default=True)
    is_default = models.BooleanField(default=False)
    priority = models.PositiveSmallIntegerField(
        default=100, help_text="Fallback order: lower numbers are tried first."
    )
    base_url = models.URLField(
        blank=True,
        help_text="API host. Empty means the provider's real host; the sandbox's URL in development.",
    )
    payout_base_url = models.URLField(
        blank=True,
        help_text="Payouts API host, where it differs (Paytm). Empty means the provider's real host.",
    )
    capabilities = models.JSONField(
        default=list,
        blank=True,
        help_text="What this account may be used for: payouts, collections, payout_links, payment_links.",
    )

    key_id = models.CharField(
        max_length=100, blank=True, db_index=True, help_text="Razorpay: the API key id. Paytm: the MID."
    )
    merchant_id = models.CharField(
        max_length=100,
        blank=True,
        db_index=True,
        help_text=(
            "How the gateway's webhooks name this merchant. Razorpay: the account id (acc_…) "
            "shown in the dashboard and in every webhook; Paytm: the MID."
        ),
    )
    account_number = models.CharField(
        max_length=50,
        blank=True,
        db_index=True,
        help_text="RazorpayX: the account number payouts are made from.",
    )
    public_settings = models.JSONField(default=dict, blank=True)
    # Fernet ciphertext at rest, written through the services, never shown back in clear.
    # Annotated: the field's base (django-fernet-encrypted-fields) has no types.
    secrets: dict[str, str] = SecretJSONField()

    # Webhooks (skinspire.gateways.webhooks). When the webhook secret (Razorpay) or merchant
    # key (Paytm) is replaced, the old one keeps verifying deliveries for
    # settings.GATEWAY_WEBHOOK_SECRET_GRACE_SECONDS after the change: retries of events
    # signed before it still arrive signed with it.
    webhook_secret_previous = SecretCharField(max_length=200, blank=True, editable=False)
    webhook_secret_rotated_at = models.DateTimeField(null=True, blank=True, editable=False)
    webhook_allowed_ips = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_ip_networks],
        help_text="Addresses or networks (CIDR) webhooks for this account may come from. Empty: any.",
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = GatewayConfigurationQuerySet.as_manager()

    # Tenancy (skinspire.core.tenancy): staff see hospital-wide rows and their branches' rows.
    tenant_branch_field = "branch"

    class Meta:
        ordering = ["hospital__name", "priority", "id"]
        constraints = [
            # At most one default active configuration per hospital/branch/mode. Two partial
            # constraints because NULL branches are distinct in a plain unique index.
            models.UniqueConstraint(
                fields=["hospital", "mode"],
                condition=Q(is_default=True, is_active=True, branch__isnull=True),
                name="one_default_gateway_per_hospital_mode",
            ),
            models.UniqueConstraint(
                fields=["hospital", "branch", "mode"],
                condition=Q(is_default=True, is_active=True, branch__isnull=False),
                name="one_default_gateway_per_branch_mode",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_provider_display()}, {self.mode})"

    def has_capability(self, capability: str) -> bool:
        return capability in (self.capabilities or [])

    @property
    def effective_base_url(self) -> str:
        """The API host: the configured one, else the provider's official host for the mode."""
        return endpoints.normalised(self.base_url) or endpoints.default_origin(
            self.provider, self.mode, endpoints.API
        )

    @property
    def effective_payout_base_url(self) -> str:
        """The payouts host. A non-official base URL (the sandbox) serves payouts too; an
        official one does not (Paytm's payouts live on their own host)."""
        if self.payout_base_url:
            return endpoints.normalised(self.payout_base_url)
        base_is_official = endpoints.is_official(
            self.base_url, provider=self.provider, mode=self.mode, api=endpoints.API
        )
        if self.base_url and not base_is_official:
            return endpoints.normalised(self.base_url)
        return endpoints.default_origin(self.provider, self.mode, endpoints.PAYOUTS)


class GatewayTransactionLog(models.Model):
    """Every outbound gateway call and its answer, with secrets redacted. Read-only in admin."""

    class Outcome(models.TextChoices):
        SUCCESS = "success"
        ERROR = "error"  # the gateway answered with an error
        TIMEOUT = "timeout"  # no answer: outcome unknown
        UNREACHABLE = "unreachable"  # the request never left

    configuration = models.ForeignKey(
        GatewayConfiguration, on_delete=models.PROTECT, null=True, blank=True, related_name="transaction_logs"
    )
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    provider = models.CharField(max_length=20, choices=schemas.provider_choices)
    operation = models.CharField(max_length=60, db_index=True)
    object_ref = models.CharField(
        max_length=100, blank=True, db_index=True, help_text="Our object, e.g. payment:42"
    )
    idempotency_key = models.CharField(max_length=100, blank=True, db_index=True)
    method = models.CharField(max_length=10, blank=True)
    url = models.CharField(max_length=500, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    gateway_ids = models.JSONField(
        default=dict, blank=True, help_text="Ids the gateway returned (order, payment, payout ...)"
    )
    request_body = models.JSONField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.provider} {self.operation} {self.outcome} ({self.http_status})"


# The webhook inbox's models live in their own module, registered with this app.
from skinspire.gateways.webhooks.models import WebhookEvent  # noqa: E402,F401
