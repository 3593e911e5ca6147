"""DRF permissions by role (the groups created by core's roles migration)."""

from rest_framework.permissions import BasePermission


def user_has_role(user, *roles: str) -> bool:
    """Superusers hold every role; anyone else needs membership of one of `roles`."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=roles).exists()


def HasRole(*roles: str) -> type[BasePermission]:
    """`permission_classes = [HasRole(ROLE_PAYMENTS_STAFF, ROLE_PAYMENT_APPROVER)]`."""

    class _HasRole(BasePermission):
        message = f"You need one of these roles: {', '.join(roles)}."

        def has_permission(self, request, view):
            return user_has_role(request.user, *roles)

    _HasRole.__name__ = f"HasRole({', '.join(roles)})"
    return _HasRole
