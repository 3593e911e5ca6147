"""The record-a-supplier-payment page. The page only gathers input: the supplier's accounts
and invoices, the fee preview and the payment itself all go through the payouts API
(static/workspace/payout-form.js), which applies every rule."""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from skinspire.core.errors import ConflictError
from skinspire.core.money import format_inr
from skinspire.core.permissions import user_has_role
from skinspire.core.roles import ROLE_PAYMENTS_STAFF
from skinspire.gateways.providers.schemas import provider_choices
from skinspire.payouts import selectors
from skinspire.payouts.limits import MODE_LIMITS
from skinspire.payouts.models import GATEWAY_MODES, MANUAL_MODES
from skinspire.payouts.services.approvals import approval_threshold
from skinspire.payouts.services.payout_link_checks import LINK_EXPIRY_HOURS
from skinspire.payouts.services.policy import check_gateway_payouts_allowed
from skinspire.workspace.access import SignedInRequest, workspace_page
from skinspire.workspace.scope import working_scope


def mode_limits() -> list[dict]:
    """Each transfer method with its limit in words, for the person choosing."""
    rows = []
    for mode in GATEWAY_MODES:
        limit = MODE_LIMITS[mode]
        if limit.maximum is None:
            words = f"from {format_inr(limit.minimum)}"
        elif limit.minimum > 1:
            words = f"{format_inr(limit.minimum)} to {format_inr(limit.maximum)}"
        else:
            words = f"up to {format_inr(limit.maximum)}"
        rows.append({"value": mode.value, "label": mode.label, "limit": words})
    return rows


def gateway_payouts_off(scope) -> str:
    """The payout policy's reason gateway payouts are refused here now, or ""."""
    if scope.hospital is None:
        return ""
    try:
        check_gateway_payouts_allowed(hospital=scope.hospital, branch=scope.branch)
    except ConflictError as error:
        return error.message
    return ""


@workspace_page
def payment_record(request: SignedInRequest) -> HttpResponse:
    if not user_has_role(request.user, ROLE_PAYMENTS_STAFF):
        raise PermissionDenied("Recording payments is for Payments staff.")
    scope = working_scope(request)
    suppliers = selectors.supplier_list(user=request.user).filter(is_active=True).order_by("name")
    if scope.hospital is not None:
        suppliers = suppliers.filter(hospital=scope.hospital)
    hospital_id = scope.hospital.pk if scope.hospital else request.user.hospital_id
    context = {
        "suppliers": suppliers,
        "providers": provider_choices(),
        "gateway_modes": mode_limits(),
        "manual_modes": [(mode.value, mode.label) for mode in MANUAL_MODES],
        "link_expiry_hours": LINK_EXPIRY_HOURS,
        "payouts_off": gateway_payouts_off(scope),
        "threshold": approval_threshold(hospital_id=hospital_id) if hospital_id else None,
        # One key per form: submitting twice (a double click, a retry) returns the first payment.
        "idempotency_key": uuid.uuid4().hex,
    }
    return render(request, "workspace/payouts/record.html", context)
