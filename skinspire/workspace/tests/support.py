"""People of every role in one hospital with two branches, for the workspace's tests."""

from dataclasses import dataclass

from django.db import connection

from skinspire.core.models import Branch, Hospital, User
from skinspire.core.roles import (
    ROLE_ACCOUNTANT,
    ROLE_GATEWAY_ADMIN,
    ROLE_PAYMENT_APPROVER,
    ROLE_PAYMENTS_STAFF,
)
from skinspire.core.tests.factories import BranchFactory, HospitalFactory, UserFactory, role_group

ROLE_OF = {
    "payments": ROLE_PAYMENTS_STAFF,
    "approver": ROLE_PAYMENT_APPROVER,
    "accountant": ROLE_ACCOUNTANT,
    "gatewayadmin": ROLE_GATEWAY_ADMIN,
}
EVERY_PERSON = [*ROLE_OF, "superuser"]


@dataclass
class Desk:
    hospital: Hospital
    main: Branch
    city: Branch
    people: dict[str, User]


def accounts_desk(hospital_name: str = "Asha Hospital") -> Desk:
    hospital = HospitalFactory.create(name=hospital_name)
    main = BranchFactory.create(hospital=hospital, name="Main Campus")
    city = BranchFactory.create(hospital=hospital, name="City Clinic")
    people = {}
    for username, role in ROLE_OF.items():
        # role_group: an earlier transactional test may have flushed the role groups.
        person = UserFactory.create(
            username=f"{username}-{hospital.pk}", branches=[main, city], hospital=hospital
        )
        person.groups.add(role_group(role))
        people[username] = person
    people["superuser"] = UserFactory.create(username=f"root-{hospital.pk}", hospital=None, is_superuser=True)
    return Desk(hospital, main, city, people)


def query_plan(queryset, *, forbid: tuple[str, ...] = ()) -> str:
    """PostgreSQL's plan for `queryset`, with the plan kinds in `forbid` ("seqscan",
    "indexscan", ...) switched off for it: the test tables are nearly empty, where reading
    them whole is cheapest, so forbidding that shows whether an index can serve the query."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        for plan_kind in forbid:
            cursor.execute(f"SET LOCAL enable_{plan_kind} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())
