"""Django REST framework and drf-spectacular."""

from typing import Any

REST_FRAMEWORK: dict[str, Any] = {
    # Token first: an unauthenticated, expired or revoked call is then a 401 with
    # `WWW-Authenticate: Token` (DRF answers 403 when the first class is session auth).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "skinspire.core.authentication.session.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON through the one safe loader (skinspire/core/json_input.py); forms as DRF reads them.
    "DEFAULT_PARSER_CLASSES": [
        "skinspire.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "skinspire.core.api.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "COERCE_DECIMAL_TO_STRING": True,
    # Throttles identify the client with skinspire.core.client_ip (see
    # skinspire.core.authentication.throttling); "login" is the token endpoint's scope.
    "DEFAULT_THROTTLE_RATES": {
        "anon": "30/minute",
        "user": "600/minute",
        "login": "10/minute",
        "payouts": "10/minute",
        # Sending a link again e-mails or texts a person: a few a minute per staff user.
        "link_resend": "5/minute",
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Skinspire Payments API",
    "DESCRIPTION": "Supplier payouts and patient collections through Razorpay and Paytm.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema describes a hospital's payment operations: staff only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and ReDoc from drf-spectacular-sidecar's files, served by us: the default is a
    # CDN at @latest, blank on an intranet and a supply-chain risk on a payments site.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # validatorUrl: null, or Swagger UI shows a badge fetched from validator.swagger.io that
    # sends it our schema's address.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "ENUM_NAME_OVERRIDES": {
        "PayoutGatewayModeEnum": "skinspire.payouts.api.serializers.GATEWAY_MODE_CHOICES",
        "PayoutManualModeEnum": "skinspire.payouts.api.serializers.MANUAL_MODE_CHOICES",
        "PayoutTransferModeEnum": "skinspire.payouts.models.TransferMode",
        "SupplierPaymentMethodEnum": "skinspire.payouts.models.PaymentMethod",
        "SupplierPaymentStatusEnum": "skinspire.payouts.api.serializers.SUPPLIER_PAYMENT_STATUS_CHOICES",
        "PayoutBatchStatusEnum": "skinspire.payouts.models.batches.BATCH_STATUS_CHOICES",
    },
}
