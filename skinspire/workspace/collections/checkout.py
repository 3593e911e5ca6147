"""Pay online at the counter: staff open the gateway's checkout for the patient in front
of them. A plain form POST (no script needed): the service records the payment and creates
the gateway order, and the answer is the collections hand-over page, which sends the browser
on to the gateway's hosted checkout under its own, per-page CSP (collections/handover.py).
The patient pays there and lands on our return page and receipt, as a patient on a phone does.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from skinspire.collections import selectors
from skinspire.collections.handover import checkout_handover, return_urls
from skinspire.collections.services.checkout import patient_payment_order_create
from skinspire.core.errors import ApplicationError, NotFoundError
from skinspire.core.forms import AmountFormField
from skinspire.core.permissions import user_has_role
from skinspire.core.roles import ROLE_PAYMENTS_STAFF
from skinspire.workspace.access import SignedInRequest, workspace_page


class PayOnlineForm(forms.Form):
    amount = AmountFormField(required=False, max_digits=12, decimal_places=2, label="Amount (₹)")


@workspace_page
@require_POST
def bill_pay_online(request: SignedInRequest, bill_id: int) -> HttpResponse:
    if not user_has_role(request.user, ROLE_PAYMENTS_STAFF):
        raise PermissionDenied(f"Only {ROLE_PAYMENTS_STAFF} take payments.")
    try:
        bill = selectors.bill_get(user=request.user, bill_id=bill_id)
    except NotFoundError as error:
        raise Http404(str(error)) from error
    form = PayOnlineForm(request.POST)
    if not form.is_valid():
        # The amount's own reason ("'१५००' has digits other than 0-9; ..."), as the API gives it.
        return _refused(
            request,
            bill=bill,
            message=" ".join(str(problem) for problem in form.errors["amount"]),
            status=400,
        )
    try:
        created = patient_payment_order_create(
            actor=request.user, bill=bill, amount=form.cleaned_data["amount"], **return_urls(request)
        )
        return checkout_handover(request, created=created)
    except ApplicationError as error:
        # Each error's own status, as the API answers it: a gateway that failed is 502, no
        # usable configuration is the hospital's to fix (GatewayConfigurationError, 400).
        return _refused(request, bill=bill, message=error.message, status=error.status_code)


def _refused(request: SignedInRequest, *, bill, message: str, status: int) -> HttpResponse:
    context = {"bill": bill, "message": message, "title": "Payment not started"}
    return render(request, "workspace/collections/pay_online_refused.html", context, status=status)
