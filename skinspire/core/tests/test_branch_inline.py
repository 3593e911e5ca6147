"""A hospital's branches, edited as rows of its admin page: a code the hospital already uses
is a form error, never a 500 at the INSERT (branch codes are unique per hospital)."""

import pytest
from django.urls import reverse

from skinspire.core.models import Branch
from skinspire.core.tests.factories import BranchFactory, UserFactory
from tests.admin_post_sweep import form_data, management_data

pytestmark = pytest.mark.django_db
DUPLICATE = "Branch with this Hospital and Code already exists."


@pytest.fixture
def page(client, hospital):
    BranchFactory(hospital=hospital, code="MAIN")
    BranchFactory(hospital=hospital, code="EAST")
    client.raise_request_exception = False
    client.force_login(UserFactory(username="root", hospital=None, is_superuser=True, is_staff=True))
    url = reverse("admin:core_hospital_change", args=[hospital.pk])
    shown = client.get(url).context
    [inline] = shown["inline_admin_formsets"]
    return url, {**form_data(shown["adminform"].form), **management_data(inline.formset)}


def new_rows(data: dict, *codes: str) -> dict:
    rows = {"branches-TOTAL_FORMS": str(2 + len(codes))}
    for index, code in enumerate(codes, start=2):
        rows |= {f"branches-{index}-name": f"New {index}", f"branches-{index}-code": code}
    return {**data, **rows}


def row_errors(response) -> list:
    [inline] = response.context["inline_admin_formsets"]
    return [form.non_field_errors() for form in inline.formset.forms] + [inline.formset.non_form_errors()]


def test_a_new_branch_with_a_code_in_use_is_a_form_error(client, hospital, page):
    url, data = page

    response = client.post(url, new_rows(data, "MAIN"))

    assert response.status_code == 200
    assert [DUPLICATE] in row_errors(response)
    assert Branch.objects.filter(hospital=hospital).count() == 2


def test_an_existing_branch_posted_as_a_new_one_is_a_form_error(client, hospital, page):
    url, data = page

    response = client.post(url, {**data, "branches-INITIAL_FORMS": "1"})  # row 1 claimed as new

    assert response.status_code == 200
    assert row_errors(response)[1] == [DUPLICATE]
    assert Branch.objects.filter(hospital=hospital).count() == 2


def test_two_new_branches_with_one_code_are_a_form_error(client, hospital, page):
    url, data = page

    response = client.post(url, new_rows(data, "WEST", "WEST"))

    assert response.status_code == 200
    assert row_errors(response)[-1] == ["Please correct the duplicate data for code."]
    assert Branch.objects.filter(hospital=hospital).count() == 2


def test_a_new_branch_with_a_new_code_is_added(client, hospital, page):
    url, data = page

    response = client.post(url, new_rows(data, "WEST"))

    assert response.status_code == 302
    assert sorted(Branch.objects.filter(hospital=hospital).values_list("code", flat=True)) == [
        "EAST",
        "MAIN",
        "WEST",
    ]
