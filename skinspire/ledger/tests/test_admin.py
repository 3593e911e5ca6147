import pytest
from django.contrib.auth.models import Permission

from skinspire.core.tests.factories import UserFactory
from skinspire.ledger.models import Account, JournalEntry
from skinspire.ledger.services import post_entry
from skinspire.ledger.tests.factories import pay_supplier

pytestmark = pytest.mark.django_db

ENTRY_CHANGELIST = "/admin/ledger/journalentry/"
ACCOUNT_CHANGELIST = "/admin/ledger/account/"


def grant(user, *codenames):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="ledger", codename__in=codenames)
    )


@pytest.fixture
def accountant_client(client, staff_user):
    grant(
        staff_user, "view_journalentry", "view_journalline", "view_account", "add_account", "change_account"
    )
    client.force_login(staff_user)
    return client


@pytest.fixture
def own_entry(chart, hospital):
    return post_entry(
        hospital=hospital, source=("manual", "own-1"), event="test", lines=pay_supplier("12.34")
    )


@pytest.fixture
def foreign_entry(other_hospital):
    return post_entry(
        hospital=other_hospital, source=("manual", "foreign-1"), event="test", lines=pay_supplier("56.78")
    )


def test_entry_changelist_shows_only_the_users_hospital(accountant_client, own_entry, foreign_entry):
    response = accountant_client.get(ENTRY_CHANGELIST)

    assert response.status_code == 200
    assert [entry.pk for entry in response.context["cl"].result_list] == [own_entry.pk]


def test_superuser_sees_every_hospital(client, own_entry, foreign_entry):
    client.force_login(UserFactory(hospital=None, is_superuser=True))

    response = client.get(ENTRY_CHANGELIST)

    assert sorted(entry.pk for entry in response.context["cl"].result_list) == sorted(
        [own_entry.pk, foreign_entry.pk]
    )


def test_entry_page_is_read_only_with_its_lines(accountant_client, own_entry):
    response = accountant_client.get(f"{ENTRY_CHANGELIST}{own_entry.pk}/change/")

    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="_save"' not in content
    assert 'name="_continue"' not in content
    assert f"{own_entry.pk}/delete/" not in content
    assert "12.34" in content
    assert "2000 Accounts payable (suppliers)" in content


def test_entries_cannot_be_added_changed_or_deleted_through_admin(accountant_client, staff_user, own_entry):
    # Even holding every model permission, admin offers no way to write an entry.
    grant(staff_user, "add_journalentry", "change_journalentry", "delete_journalentry")

    assert accountant_client.get(f"{ENTRY_CHANGELIST}add/").status_code == 403
    assert (
        accountant_client.post(f"{ENTRY_CHANGELIST}{own_entry.pk}/change/", {"memo": "edited"}).status_code
        == 403
    )
    assert (
        accountant_client.post(f"{ENTRY_CHANGELIST}{own_entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert JournalEntry.objects.get().memo == ""


def test_another_hospitals_entry_is_not_found(accountant_client, foreign_entry):
    response = accountant_client.get(f"{ENTRY_CHANGELIST}{foreign_entry.pk}/change/")

    # Admin answers a missing object with a redirect to its index and a message.
    assert response.status_code == 302
    assert response.url == "/admin/"


def test_account_name_can_be_changed_but_not_code_or_type(accountant_client, chart, hospital):
    bank = Account.objects.get(hospital=hospital, code="1000")

    response = accountant_client.post(
        f"{ACCOUNT_CHANGELIST}{bank.pk}/change/",
        {"name": "HDFC current account", "code": "9999", "type": "expense"},
    )

    assert response.status_code == 302
    bank.refresh_from_db()
    assert (bank.code, bank.name, bank.type, bank.hospital_id) == (
        "1000",
        "HDFC current account",
        "asset",
        hospital.pk,
    )


def test_account_added_by_staff_belongs_to_their_hospital(accountant_client, hospital, other_hospital):
    response = accountant_client.post(
        f"{ACCOUNT_CHANGELIST}add/",
        {"hospital": hospital.pk, "code": "1010", "name": "Petty cash", "type": "asset"},
    )

    assert response.status_code == 302
    account = Account.objects.get(code="1010")
    assert (account.hospital_id, account.name, account.type) == (hospital.pk, "Petty cash", "asset")


def test_account_of_another_hospital_cannot_be_added(accountant_client, hospital, other_hospital):
    response = accountant_client.post(
        f"{ACCOUNT_CHANGELIST}add/",
        {"hospital": other_hospital.pk, "code": "1010", "name": "Petty cash", "type": "asset"},
    )

    assert response.status_code == 200
    assert "hospital" in response.context["adminform"].form.errors
    assert not Account.objects.filter(code="1010").exists()


def test_account_changelist_is_scoped_and_accounts_cannot_be_deleted(
    accountant_client, chart, hospital, other_hospital
):
    response = accountant_client.get(ACCOUNT_CHANGELIST)
    bank = Account.objects.get(hospital=hospital, code="1000")

    assert {account.hospital_id for account in response.context["cl"].result_list} == {hospital.pk}
    assert len(response.context["cl"].result_list) == 8
    assert (
        accountant_client.post(f"{ACCOUNT_CHANGELIST}{bank.pk}/delete/", {"post": "yes"}).status_code == 403
    )
