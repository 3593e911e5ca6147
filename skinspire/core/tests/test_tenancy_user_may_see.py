"""user_may_see(user, row) answers, for one row, what scope_queryset answers for a queryset:
the idempotency 409s name a row only to who may see it (core.idempotency)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from skinspire.core.tenancy import scope_queryset, user_may_see
from skinspire.core.tests.factories import BranchFactory, HospitalFactory, UserFactory
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.tests.factories import GatewayConfigurationFactory

pytestmark = pytest.mark.django_db


def test_it_agrees_with_scope_queryset_for_every_user_and_row():
    hospital_a, hospital_b = HospitalFactory(), HospitalFactory()
    main, city = BranchFactory(hospital=hospital_a), BranchFactory(hospital=hospital_a)
    other = BranchFactory(hospital=hospital_b)
    rows = [
        GatewayConfigurationFactory(hospital=hospital_a),
        GatewayConfigurationFactory(hospital=hospital_a, branch=main),
        GatewayConfigurationFactory(hospital=hospital_a, branch=city),
        GatewayConfigurationFactory(hospital=hospital_b),
        GatewayConfigurationFactory(hospital=hospital_b, branch=other),
    ]
    users = {
        "superuser": UserFactory(hospital=None, is_superuser=True),
        "main": UserFactory(hospital=hospital_a, branches=[main]),
        "main and city": UserFactory(hospital=hospital_a, branches=[main, city]),
        "no branch": UserFactory(hospital=hospital_a),
        # A branch of another hospital among their branches gives them nothing there.
        "main and another hospital's": UserFactory(hospital=hospital_a, branches=[main, other]),
        "hospital B": UserFactory(hospital=hospital_b, branches=[other]),
        "no hospital": UserFactory(hospital=None),
        "inactive": UserFactory(hospital=hospital_a, branches=[main], is_active=False),
        "anonymous": AnonymousUser(),
    }

    for name, user in users.items():
        scoped = set(scope_queryset(GatewayConfiguration.objects.all(), user).values_list("pk", flat=True))
        seen = {row.pk for row in rows if user_may_see(user, row)}
        assert seen == scoped & {row.pk for row in rows}, name
    assert {row.pk for row in rows if user_may_see(users["main"], row)} == {rows[0].pk, rows[1].pk}
