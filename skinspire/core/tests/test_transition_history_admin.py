"""The status-history inline shows an object's moves to whoever may open it, and edits nothing."""

import re

import pytest
from django.contrib.auth.models import Permission

from skinspire.core.models import StatusTransition
from skinspire.core.tests.factories import UserFactory
from skinspire.core.tests.state_machine_app.models import TrialPayout
from skinspire.core.transitions import transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def payout_with_history():
    payout = TrialPayout.objects.create(reference="PO-7")
    transition(
        instance=payout, to="processed", reason="Paid by the bank", event_reference="webhook:razorpay:evt_7"
    )
    transition(
        instance=payout, to="processing", reason="Late processing", event_reference="webhook:razorpay:evt_6"
    )
    return payout


def history_rows(html: str) -> list[list[str]]:
    table = html.split('id="core-statustransition-content_type-object_id-group"')[1].split("</table>")[0]
    rows = re.findall(r'<tr class="form-row[^"]*"[^>]*>(.*?)</tr>', table, re.S)
    cells = [re.findall(r'<td class="field-(\w+)">\s*<p>(.*?)</p>', row, re.S) for row in rows]
    return [
        [value.strip() for name, value in row if name in {"from_state", "to_state", "outcome", "reason"}]
        for row in cells
    ]


def test_a_viewer_of_the_object_sees_its_history_read_only(client, payout_with_history):
    viewer = UserFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_trialpayout"))
    client.force_login(viewer)

    response = client.get(f"/admin/core_state_machine_tests/trialpayout/{payout_with_history.pk}/change/")

    assert response.status_code == 200
    html = response.content.decode()
    assert history_rows(html) == [
        ["queued", "processed", "Applied", "Paid by the bank"],
        ["processed", "processing", "Ignored", "Late processing"],
    ]
    assert "Add another status change" not in html
    assert "-DELETE" not in html


def test_saving_the_object_in_admin_changes_no_history(admin_client, payout_with_history):
    url = f"/admin/core_state_machine_tests/trialpayout/{payout_with_history.pk}/change/"
    prefix = "core-statustransition-content_type-object_id"
    before = list(StatusTransition.objects.values_list("id", "from_state", "to_state", "outcome", "reason"))
    response = admin_client.post(
        url,
        {
            "reference": "PO-7b",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-from_state": "queued",
            f"{prefix}-0-to_state": "reversed",
            f"{prefix}-0-outcome": "applied",
            f"{prefix}-0-reason": "forged",
        },
    )
    assert response.status_code == 302
    assert TrialPayout.objects.get(pk=payout_with_history.pk).reference == "PO-7b"
    assert (
        list(StatusTransition.objects.values_list("id", "from_state", "to_state", "outcome", "reason"))
        == before
    )
