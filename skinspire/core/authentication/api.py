"""The API token endpoints: obtain (username + password [+ TOTP]), log out, log out everywhere."""

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from drf_spectacular.utils import extend_schema
from knox.auth import TokenAuthentication
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from skinspire.core.authentication import tokens
from skinspire.core.authentication.forms import without_nul_check
from skinspire.core.authentication.selectors import totp_enrolled, totp_required_for
from skinspire.core.authentication.throttling import ClientIPScopedRateThrottle
from skinspire.core.authentication.totp import totp_verify


class CodeField(serializers.CharField):
    """Any text sent as a code reaches the check after the password's (check_second_factor),
    which refuses one too long or holding NUL as a wrong code, counted towards the lockout:
    a 400 from the serializer (max_length, DRF's NUL validator) would be an uncounted try.
    (A JSON body holding NUL anywhere is refused by the parser before any check.)"""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = without_nul_check(self.validators)


class ObtainTokenView(APIView):
    """Exchange a username and password (and, for key holders when required, a TOTP code)
    for an API token that expires."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ClientIPScopedRateThrottle]
    throttle_scope = "login"

    class InputSerializer(serializers.Serializer):
        username = serializers.CharField()
        password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
        otp_token = CodeField(required=False, allow_blank=True)

    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField()
        expiry = serializers.DateTimeField(allow_null=True)

    def get_authenticate_header(self, request):
        # A wrong password is a 401 (DRF would turn it into a 403 for a view with no authenticators).
        return "Token"

    @extend_schema(request=InputSerializer, responses=OutputSerializer, auth=[])
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # The Django request, not DRF's wrapper: axes marks a lockout on the request it is
        # given, and its middleware (which sees only the Django request) answers it.
        http_request = request._request
        user = authenticate(http_request, username=data["username"], password=data["password"])
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed("Wrong username or password.")
        check_second_factor(user=user, token=data.get("otp_token", ""), http_request=http_request)
        instance, token = tokens.api_token_create(user=user)
        user_logged_in.send(sender=user.__class__, request=http_request, user=user)
        output = self.OutputSerializer({"token": token, "expiry": instance.expiry})
        return Response(output.data, status=status.HTTP_200_OK)


def check_second_factor(*, user, token: str, http_request) -> None:
    if not totp_required_for(user):
        return
    if not totp_enrolled(user):
        raise exceptions.AuthenticationFailed(
            "Your role needs two-factor authentication: set it up by logging in at /admin/ first."
        )
    if not token:
        raise exceptions.AuthenticationFailed(
            "Your role needs a two-factor code: send otp_token with the code from your "
            "authenticator app (or a recovery code)."
        )
    if totp_verify(user=user, token=token) is None:
        # Counted by axes like a wrong password.
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=http_request
        )
        raise exceptions.AuthenticationFailed("Wrong or expired two-factor code.")


class LogoutView(APIView):
    """Revoke the token this request was made with."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        tokens.api_token_revoke(token=request.auth, actor=request.user, reason="logout")
        user_logged_out.send(sender=request.user.__class__, request=request._request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    """Revoke every API token of the user making this request."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        tokens.api_token_revoke_all(user=request.user, actor=request.user, reason="logout-all")
        user_logged_out.send(sender=request.user.__class__, request=request._request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
