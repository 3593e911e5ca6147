"""API tokens: knox keeps only a SHA-512 digest (and a 15-character lookup prefix), with an expiry.

Creation and revocation are audited; the entry names the token by that prefix, never more.
"""

from django.db import transaction
from knox.models import AuthToken

from skinspire.core.audit import audit_entry_record
from skinspire.core.models import User

ACTION_TOKEN_CREATE = "auth.token_create"
ACTION_TOKEN_REVOKE = "auth.token_revoke"


def api_token_create(*, user: User) -> tuple[AuthToken, str]:
    """A new token for `user`, valid for REST_KNOX["TOKEN_TTL"]. The raw token exists only in
    the return value: it is shown to the caller once and never stored."""
    with transaction.atomic():
        instance, token = AuthToken.objects.create(user=user)
        expires = instance.expiry.isoformat() if instance.expiry else "never"
        audit_entry_record(
            action=ACTION_TOKEN_CREATE,
            actor=user,
            target=user,
            message=f"API token {instance.token_key}… created, expires {expires}",
        )
    return instance, token


def api_token_revoke(*, token: AuthToken, actor: User, reason: str) -> None:
    """`reason`: "logout", "logout-all" or "admin"; `actor`: the owner, or the admin."""
    with transaction.atomic():
        audit_entry_record(
            action=ACTION_TOKEN_REVOKE,
            actor=actor,
            target=token.user,
            message=f"API token {token.token_key}… revoked ({reason})",
        )
        token.delete()


def api_token_revoke_all(*, user: User, actor: User, reason: str) -> int:
    tokens = list(AuthToken.objects.filter(user=user).select_related("user"))
    with transaction.atomic():
        for token in tokens:
            api_token_revoke(token=token, actor=actor, reason=reason)
    return len(tokens)
