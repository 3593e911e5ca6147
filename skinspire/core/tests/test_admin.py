"""Hospital (with branches inline), branch and staff user admin."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from skinspire.core import services
from skinspire.core.models import Hospital, User
from skinspire.core.tests.factories import BranchFactory, HospitalFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(hospital=None, is_superuser=True))
    return client


def test_adding_a_hospital_runs_every_apps_setup(superuser_client, monkeypatch):
    set_up = []
    monkeypatch.setattr(services, "hospital_setup_hooks", [lambda hospital: set_up.append(hospital.code)])
    data = {
        "name": "New Hospital",
        "code": "new-hospital",
        "branches-TOTAL_FORMS": "1",
        "branches-INITIAL_FORMS": "0",
        "branches-0-name": "Main",
        "branches-0-code": "main",
        "_save": "Save",
    }

    response = superuser_client.post(reverse("admin:core_hospital_add"), data)

    assert response.status_code == 302
    hospital = Hospital.objects.get(code="new-hospital")
    assert list(hospital.branches.values_list("code", flat=True)) == ["main"]
    assert set_up == ["new-hospital"]


def test_user_change_page_offers_hospital_and_branches(superuser_client):
    hospital = HospitalFactory()
    branch = BranchFactory(hospital=hospital)
    user = UserFactory(hospital=hospital, branches=[branch])

    response = superuser_client.get(reverse("admin:core_user_change", args=[user.pk]))

    form = response.context["adminform"].form
    assert response.status_code == 200
    assert form.initial["hospital"] == hospital.pk
    assert list(form.initial["branches"]) == [branch]


def test_staff_user_admin_lists_only_own_hospital(client):
    hospital = HospitalFactory()
    viewer = UserFactory(hospital=hospital, is_superuser=False)
    viewer.user_permissions.add(Permission.objects.get(codename="view_user"))
    colleague = UserFactory(hospital=hospital)
    UserFactory(hospital=HospitalFactory())
    client.force_login(viewer)

    response = client.get(reverse("admin:core_user_changelist"))

    assert set(response.context["cl"].result_list) == {viewer, colleague}
    assert User.objects.count() == 3
