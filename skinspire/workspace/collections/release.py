"""Release an unfinished online payment (a checkout order the patient will not finish), so the
bill may be asked for that money again at once. A plain form POST from the bill or payment
page, confirmed by a tick and a reason; the rule (ask the gateway first, record a payment it
says was made, refuse when it cannot answer) is the service's (collections/services/checkout_release.py).
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from skinspire.collections import selectors
from skinspire.collections.services.checkout_release import REASON_MAX, patient_payment_checkout_release
from skinspire.core.errors import ApplicationError, NotFoundError
from skinspire.core.permissions import user_has_role
from skinspire.core.roles import ROLE_PAYMENTS_STAFF
from skinspire.workspace.access import SignedInRequest, workspace_page

# Who may release: who may start Pay online (workspace/collections/checkout.py).
RELEASERS = (ROLE_PAYMENTS_STAFF,)


class ReleaseForm(forms.Form):
    reason = forms.CharField(max_length=REASON_MAX, label="Why (for the audit log)")
    confirm = forms.BooleanField(
        label="The patient is not paying this online now",
        error_messages={"required": "Tick the box to confirm the patient is not paying this online now."},
    )


def can_release(user) -> bool:
    return user_has_role(user, *RELEASERS)


@workspace_page
@require_POST
def payment_release(request: SignedInRequest, payment_id: int) -> HttpResponse:
    if not can_release(request.user):
        raise PermissionDenied(f"Only {', '.join(RELEASERS)} release online payments.")
    try:
        payment = selectors.patient_payment_get(user=request.user, payment_id=payment_id)
    except NotFoundError as error:
        raise Http404(str(error)) from error
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        problems = " ".join(str(problem) for errors in form.errors.values() for problem in errors)
        return _result(request, payment=payment, message=problems, status=400, done=False)
    try:
        outcome = patient_payment_checkout_release(
            payment=payment, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ApplicationError as error:
        # Its own status: 409 wrong state or still being paid, 502 the gateway could not say.
        return _result(request, payment=payment, message=error.message, status=error.status_code, done=False)
    return _result(request, payment=outcome.payment, message=outcome.message, status=200, done=True)


def _result(request: SignedInRequest, *, payment, message: str, status: int, done: bool) -> HttpResponse:
    context = {"payment": payment, "message": message, "done": done, "title": "Release online payment"}
    return render(request, "workspace/collections/release_result.html", context, status=status)
