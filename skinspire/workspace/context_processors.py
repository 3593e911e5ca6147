"""What every page of the workspace layout (templates/base.html) shows: the person's
working scope, their navigation and whether gateway payments are switched off.

Computed only when a template reads it, so pages that do not use the layout (admin,
the sandbox) pay nothing."""

from functools import cached_property

from django.http import HttpRequest
from django.urls import reverse

from skinspire.gateways.selectors import GatewayPaymentsState, gateway_payments_state
from skinspire.workspace.navigation import NavLink, navigation_for, role_names, tasks_for
from skinspire.workspace.scope import ScopeChoice, WorkingScope, scope_choices, working_scope


class Workspace:
    def __init__(self, request: HttpRequest):
        self.request = request

    @cached_property
    def scope(self) -> WorkingScope | None:
        if not self.request.user.is_authenticated:
            return None
        return working_scope(self.request)

    @cached_property
    def scope_choices(self) -> list[ScopeChoice]:
        return scope_choices(self.request.user, self.scope) if self.scope else []

    @cached_property
    def navigation(self) -> list[NavLink]:
        return navigation_for(self.request.user, self.request.path)

    @cached_property
    def tasks(self) -> list[dict[str, str]]:
        return tasks_for(self.request.user)

    @cached_property
    def gateways(self) -> GatewayPaymentsState | None:
        """None when there is no one hospital to speak of (a superuser seeing all)."""
        if self.scope is None or self.scope.hospital is None:
            return None
        return gateway_payments_state(hospital=self.scope.hospital, branch=self.scope.branch)

    @cached_property
    def can_configure_gateways(self) -> bool:
        return self.request.user.has_perm("gateways.change_gatewayconfiguration")

    @cached_property
    def configurations_url(self) -> str:
        return reverse("admin:gateways_gatewayconfiguration_changelist")

    @cached_property
    def roles(self) -> set[str]:
        return role_names(self.request.user)


def workspace(request: HttpRequest) -> dict:
    return {"workspace": Workspace(request)}
