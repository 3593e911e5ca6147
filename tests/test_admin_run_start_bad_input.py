"""Admin's own page for starting a reconciliation run (outside the model admin's forms, so
not in the POST sweep) answers bad input with a form error or a 4xx, never a 500, and starts
no run then: as an Accountant, on PostgreSQL."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from skinspire.core.models import User
from skinspire.gateways.models import GatewayConfiguration
from skinspire.reconciliation.models import ReconciliationRun
from tests.admin_post_sweep import NUL, TOO_BIG, world

pytestmark = pytest.mark.django_db

URL = reverse("admin:reconciliation_run_start")
REPORTS = [
    ("report.csv", b"\xff\xfe\x00garbage"),  # not text
    ("report.csv", b"a,b\n" + b"1," * 5000 + b"\n"),  # no column a report has
    ("report.xlsx", b"PK\x03\x04 not a workbook"),
    ("report.exe", b"MZ"),
    ("report.csv", b""),
]


def test_starting_a_run_with_bad_input_is_refused_not_crashed():
    others = world()
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="accountant"))
    own = GatewayConfiguration.objects.without_secrets().exclude(pk=others[GatewayConfiguration]).first()
    good = {"configuration": own.pk, "run_date": "2026-04-20"}
    posts = [
        {},
        *({**good, "configuration": value} for value in [TOO_BIG, NUL, "abc", others[GatewayConfiguration]]),
        *({**good, "run_date": value} for value in ["2026-02-30", "99999-01-01", NUL]),
        *({**good, "report": SimpleUploadedFile(name, content)} for name, content in REPORTS),
    ]
    for data in posts:
        response = client.post(URL, data)
        assert response.status_code in (200, 400), (str(data)[:120], response.status_code)
        if response.status_code == 200 and data and "report" not in data:  # {} shows the empty form
            assert response.context["form"].errors, str(data)[:120]
    assert not ReconciliationRun.objects.exclude(trigger="manual").exists()
