"""`inr` and `status_badge`: the same amounts and badges on every page."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from skinspire.workspace.templatetags.workspace import inr


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("123456.78"), "₹1,23,456.78"),
        ("1500.00", "₹1,500.00"),
        (Decimal("10000000"), "₹1,00,00,000.00"),
        (Decimal("-5"), "-₹5.00"),
        (0, "₹0.00"),
        (None, ""),
        ("", ""),
    ],
)
def test_inr_groups_the_indian_way(value, shown):
    assert inr(value) == shown


def test_inr_shows_a_value_that_is_not_an_amount_as_it_is():
    assert inr("12.345") == "12.345"


@pytest.mark.parametrize(
    ("status", "tone", "label"),
    [
        ("completed", "success", "Completed"),
        ("awaiting_approval", "waiting", "Awaiting approval"),
        ("unknown", "waiting", "Unknown"),
        ("failed", "danger", "Failed"),
        ("reversed", "danger", "Reversed"),
        ("draft", "neutral", "Draft"),
    ],
)
def test_status_badge_has_one_look_per_meaning(status, tone, label):
    html = Template("{% load workspace %}{% status_badge status %}").render(Context({"status": status}))
    assert html.strip() == f'<span class="badge badge-{tone}" data-status="{status}">{label}</span>'


def test_status_badge_takes_a_label_and_escapes_it():
    html = Template('{% load workspace %}{% status_badge "failed" label %}').render(
        Context({"label": "<b>Bounced</b>"})
    )
    assert (
        html.strip()
        == '<span class="badge badge-danger" data-status="failed">&lt;b&gt;Bounced&lt;/b&gt;</span>'
    )
