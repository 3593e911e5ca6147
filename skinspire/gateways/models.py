from django.conf import settings
from django.db import models
from django.db.models import Q

from skinspire.core.fields import SecretCharField
from skinspire.core.models import Branch, Hospital, TimeStampedModel
from skinspire.gateways import endpoints


class Provider(models.TextChoices):
    RAZORPAY = "razorpay", "Razorpay"
    PAYTM = "paytm", "Paytm"


class Mode(models.TextChoices):
    TEST = "test", "Test"
    LIVE = "live", "Live"


class Capability(models.TextChoices):
    PAYOUTS = "payouts", "Payouts"
    COLLECTIONS = "collections", "Collections"
    PAYOUT_LINKS = "payout_links", "Payout links"
    PAYMENT_LINKS = "payment_links", "Payment links"


# Plain, indexed columns: public, and what a webhook delivery is matched by.
PUBLIC_IDENTIFIER_NAMES = ("key_id", "merchant_id", "account_number")
SECRET_FIELD_NAMES = (
    "razorpay_key_secret",
    "razorpay_webhook_secret",
    "paytm_merchant_key",
    "paytm_subwallet_guid",
    "paytm_website",
    "paytm_client_id",
)


class GatewayConfigurationQuerySet(models.QuerySet):
    def without_secrets(self):
        """Configurations with their encrypted columns unread (credentials_for reads them)."""
        return self.defer(*SECRET_FIELD_NAMES)

    def active(self):
        return self.filter(is_active=True)


class GatewayConfiguration(TimeStampedModel):
    """One hospital's (optionally one branch's) account with one gateway, in one mode."""

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
    provider = models.CharField(max_length=20, choices=Provider.choices)
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

    # Public identifiers: plain and indexed. They are not secrets (a Razorpay key id is in
    # every checkout page, the account id in every webhook), and the webhook receiver finds
    # the configuration a delivery belongs to by them.
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

    # Credentials: Fernet ciphertext at rest, written in admin, never shown back in clear.
    razorpay_key_secret = SecretCharField(max_length=200, blank=True)
    razorpay_webhook_secret = SecretCharField(max_length=200, blank=True)
    paytm_merchant_key = SecretCharField(max_length=200, blank=True)
    paytm_subwallet_guid = SecretCharField(max_length=100, blank=True)
    paytm_website = SecretCharField(max_length=100, blank=True)
    paytm_client_id = SecretCharField(max_length=100, blank=True)

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
    provider = models.CharField(max_length=20, choices=Provider.choices)
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
