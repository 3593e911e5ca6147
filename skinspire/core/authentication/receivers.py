"""Log lockouts. axes reports them only through its user_locked_out signal."""

import logging

from axes.signals import user_locked_out
from django.dispatch import receiver

logger = logging.getLogger("skinspire.auth")


@receiver(user_locked_out, dispatch_uid="skinspire-log-lockout")
def log_lockout(sender, request, username, ip_address, **kwargs):
    logger.warning(
        "Login locked out after %s failures: username=%r ip_address=%s path=%s",
        getattr(request, "axes_failures_since_start", None),
        username,
        ip_address,
        request.path,
    )
