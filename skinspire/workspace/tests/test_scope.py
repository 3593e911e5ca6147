"""The hospital and branch a person works in: default, switch, refusals, stale sessions."""

import pytest

from skinspire.core.tests.factories import BranchFactory, HospitalFactory, UserFactory
from skinspire.workspace.scope import SESSION_KEY
from skinspire.workspace.tests.support import accounts_desk

pytestmark = pytest.mark.django_db


def scope_of(client):
    return client.get("/").context["workspace"].scope


def test_someone_with_two_branches_starts_in_all_of_them_and_can_switch_to_one(client):
    desk = accounts_desk()
    client.force_login(desk.people["payments"])
    scope = scope_of(client)
    assert (scope.hospital, scope.branch, scope.switchable) == (desk.hospital, None, True)
    assert [choice.label for choice in client.get("/").context["workspace"].scope_choices] == [
        "Asha Hospital · all branches",
        "Asha Hospital · City Clinic",
        "Asha Hospital · Main Campus",
    ]

    response = client.post(
        "/workspace/scope/", {"scope": f"{desk.hospital.pk}:{desk.city.pk}", "next": "/"}, follow=True
    )

    assert response.redirect_chain == [("/", 302)]
    assert "You are now working in Asha Hospital · City Clinic." in response.content.decode()
    assert client.session[SESSION_KEY] == {"hospital": desk.hospital.pk, "branch": desk.city.pk}
    scope = scope_of(client)
    assert (scope.hospital, scope.branch, scope.label) == (
        desk.hospital,
        desk.city,
        "Asha Hospital · City Clinic",
    )


def test_someone_with_one_branch_works_in_it_and_sees_no_switch(client):
    hospital = HospitalFactory(name="One Branch Hospital")
    branch = BranchFactory(hospital=hospital, name="Only")
    client.force_login(UserFactory(hospital=hospital, branches=[branch]))
    scope = scope_of(client)
    assert (scope.branch, scope.switchable) == (branch, False)
    html = client.get("/").content.decode()
    assert 'id="scope-select"' not in html
    assert '<strong id="scope-label">One Branch Hospital · Only</strong>' in html


@pytest.mark.parametrize("which", ["other hospital's branch", "branch not given to them"])
def test_a_branch_outside_the_persons_own_is_refused_and_nothing_is_stored(client, which):
    desk = accounts_desk()
    person = desk.people["payments"]
    person.branches.set([desk.main])
    other = BranchFactory() if which == "other hospital's branch" else desk.city
    client.force_login(person)

    response = client.post("/workspace/scope/", {"scope": f"{other.hospital_id}:{other.pk}"}, follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert SESSION_KEY not in client.session
    assert scope_of(client).branch == desk.main
    assert "You do not work in that" in response.content.decode()


@pytest.mark.parametrize(
    "value", ["", "abc", "1", "1:x", "-1:", "1:2:3", "²:", "١:"]
)  # isdigit() takes ² and ١
def test_a_malformed_choice_is_a_400_and_nothing_is_stored(client, value):
    client.force_login(accounts_desk().people["payments"])
    response = client.post("/workspace/scope/", {"scope": value})
    assert response.status_code == 400
    assert SESSION_KEY not in client.session


def test_a_branch_taken_away_after_choosing_it_falls_back_to_all_branches(client):
    desk = accounts_desk()
    person = desk.people["approver"]
    client.force_login(person)
    client.post("/workspace/scope/", {"scope": f"{desk.hospital.pk}:{desk.city.pk}"})
    person.branches.remove(desk.city)
    scope = scope_of(client)
    assert (scope.hospital, scope.branch) == (desk.hospital, desk.main)


def test_a_superuser_switches_between_hospitals_and_to_all_hospitals(client):
    desk = accounts_desk()
    other = accounts_desk("Bharat Hospital")
    client.force_login(desk.people["superuser"])
    assert scope_of(client).hospital is None  # no hospital of their own: all of them
    assert client.get("/").context["workspace"].gateways is None

    client.post("/workspace/scope/", {"scope": f"{other.hospital.pk}:{other.main.pk}"})
    assert (scope_of(client).hospital, scope_of(client).branch) == (other.hospital, other.main)

    client.post("/workspace/scope/", {"scope": ":"})
    assert (scope_of(client).hospital, scope_of(client).branch) == (None, None)


def test_a_non_superuser_asking_for_all_hospitals_stays_in_their_own(client):
    desk = accounts_desk()
    client.force_login(desk.people["accountant"])
    client.post("/workspace/scope/", {"scope": ":"})
    assert client.session[SESSION_KEY] == {"hospital": desk.hospital.pk, "branch": None}
    assert scope_of(client).hospital == desk.hospital


def test_next_may_only_lead_back_to_this_site(client):
    desk = accounts_desk()
    client.force_login(desk.people["payments"])
    value = f"{desk.hospital.pk}:"
    assert client.post("/workspace/scope/", {"scope": value, "next": "/admin/"})["Location"] == "/admin/"
    assert (
        client.post("/workspace/scope/", {"scope": value, "next": "https://evil.example/"})["Location"] == "/"
    )


def test_anonymous_is_sent_to_log_in_and_get_is_not_allowed(client):
    response = client.post("/workspace/scope/", {"scope": ":"})
    assert (response.status_code, response["Location"]) == (302, "/admin/login/?next=/workspace/scope/")
    client.force_login(accounts_desk().people["payments"])
    assert client.get("/workspace/scope/").status_code == 405
