"""API plumbing shared by every app: the error renderer and the API index (token endpoints: core.authentication.api)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from skinspire.core import money
from skinspire.core.errors import ApplicationError


def filter_choice(choices, **kwargs) -> serializers.ChoiceField:
    """A list endpoint's filter on a field with choices: an unknown value is a 400 that names
    the values it takes, not a silently empty list (a typo would read as "none")."""
    values = ", ".join(str(value) for value, _label in choices)
    return serializers.ChoiceField(
        choices=choices,
        required=False,
        error_messages={"invalid_choice": f'"{{input}}" is not one of: {values}.'},
        **kwargs,
    )


class AmountField(serializers.DecimalField):
    """An amount in rupees as the schema gives it (drf-spectacular's pattern for a decimal:
    the digits 0-9, a point, at most two places), read by the project's one rule for typed
    amounts (core.money.amount_from_text): Python's Decimal, under DecimalField, also reads
    other scripts' digits ("१५००"), underscores ("1_500"), exponents ("1e3") and a plus sign;
    an amount in any of those is refused with its reason, not guessed at. A JSON number is
    taken when it is such a decimal (the parser reads it as a Decimal, exactly)."""

    default_error_messages = {
        "invalid": 'Give the amount in rupees with the digits 0-9, like "1500.00".',
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (str, int, Decimal)):
            self.fail("invalid")
        try:
            amount = money.amount_from_text(str(data), minimum=self.min_value)
        except money.AmountTextError as error:
            raise serializers.ValidationError(error.message, code=error.code) from error
        # DecimalField's own checks after: the field's digits and limits.
        return super().to_internal_value(amount)


def exception_handler(exc, context):
    """Render every error as {"message": ..., "extra": {...}} (HackSoft style)."""
    if isinstance(exc, ApplicationError):
        return Response({"message": exc.message, "extra": exc.extra}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # unexpected: let Django's 500 handling log it
    if isinstance(exc, exceptions.ValidationError):
        fields = (
            exc.detail if isinstance(exc.detail, dict) else {api_settings.NON_FIELD_ERRORS_KEY: exc.detail}
        )
        response.data = {"message": "Please correct the errors below.", "extra": {"fields": fields}}
    else:
        response.data = {"message": str(exc.detail), "extra": {}}
    return response


class ApiIndexView(APIView):
    """`GET /api/`: where a script starts. JSON, so a client that follows links gets data, not a page."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    renderer_classes = [JSONRenderer]

    @extend_schema(exclude=True)
    def get(self, request):
        def link(name: str) -> str:
            return reverse(name, request=request)

        return Response(
            {
                "name": spectacular_settings.TITLE,
                "version": spectacular_settings.VERSION,
                "authentication": (
                    "POST username and password to `token`, then send `Authorization: Token <token>`; "
                    "browsers may use the session of the admin login instead."
                ),
                "links": {
                    "token": link("api-token"),
                    "schema": link("api-schema"),
                    "docs": link("api-docs"),
                    "redoc": link("api-redoc"),
                },
            }
        )
