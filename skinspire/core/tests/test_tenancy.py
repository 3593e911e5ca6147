"""scope_queryset and its helpers: superuser all, staff their hospital/branches, others nothing."""

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework import generics, serializers
from rest_framework.test import APIRequestFactory, force_authenticate

from skinspire.core.models import Branch, Hospital
from skinspire.core.tenancy import TenantScopedAPIMixin, scope_queryset, user_can_act_in_branch
from skinspire.core.tests.factories import BranchFactory, HospitalFactory, UserFactory
from skinspire.gateways.models import GatewayConfiguration
from skinspire.gateways.tests.factories import GatewayConfigurationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def layout():
    """Hospital A with branches main/city; hospital B with one branch; a config for each place."""
    hospital_a, hospital_b = HospitalFactory(), HospitalFactory()
    main, city = BranchFactory(hospital=hospital_a), BranchFactory(hospital=hospital_a)
    other = BranchFactory(hospital=hospital_b)
    configurations = {
        "a": GatewayConfigurationFactory(hospital=hospital_a),
        "a-main": GatewayConfigurationFactory(hospital=hospital_a, branch=main),
        "a-city": GatewayConfigurationFactory(hospital=hospital_a, branch=city),
        "b": GatewayConfigurationFactory(hospital=hospital_b),
        "b-other": GatewayConfigurationFactory(hospital=hospital_b, branch=other),
    }
    return {"hospital_a": hospital_a, "main": main, "city": city, "other": other, **configurations}


def visible(user, layout) -> set[str]:
    keys = {layout[key].pk: key for key in ("a", "a-main", "a-city", "b", "b-other")}
    return {
        keys[pk]
        for pk in scope_queryset(GatewayConfiguration.objects.all(), user).values_list("pk", flat=True)
    }


def test_superuser_sees_everything(layout):
    assert visible(UserFactory(hospital=None, is_superuser=True), layout) == {
        "a",
        "a-main",
        "a-city",
        "b",
        "b-other",
    }


def test_staff_see_their_hospital_when_the_model_is_not_branch_bound(layout, monkeypatch):
    monkeypatch.setattr(GatewayConfiguration, "tenant_branch_field", None)
    user = UserFactory(hospital=layout["hospital_a"], branches=[layout["main"]])

    assert visible(user, layout) == {"a", "a-main", "a-city"}


def test_branch_bound_model_shows_own_branches_and_hospital_wide_rows(layout):
    user = UserFactory(hospital=layout["hospital_a"], branches=[layout["main"]])

    assert visible(user, layout) == {"a", "a-main"}


def test_without_a_hospital_or_login_nothing_is_visible(layout):
    assert visible(UserFactory(hospital=None), layout) == set()
    assert visible(AnonymousUser(), layout) == set()
    assert visible(UserFactory(hospital=layout["hospital_a"], is_active=False), layout) == set()


def test_hospitals_and_branches_scope_themselves(layout):
    user = UserFactory(hospital=layout["hospital_a"])

    assert list(scope_queryset(Hospital.objects.all(), user)) == [layout["hospital_a"]]
    assert set(scope_queryset(Branch.objects.all(), user)) == {layout["main"], layout["city"]}


def test_user_can_act_in_branch(layout):
    user = UserFactory(hospital=layout["hospital_a"], branches=[layout["main"]])
    superuser = UserFactory(hospital=None, is_superuser=True)

    assert user_can_act_in_branch(user, layout["main"]) is True
    assert user_can_act_in_branch(user, None) is True
    assert user_can_act_in_branch(user, layout["city"]) is False
    assert user_can_act_in_branch(user, layout["other"]) is False
    assert user_can_act_in_branch(UserFactory(hospital=None), None) is False
    assert user_can_act_in_branch(superuser, layout["other"]) is True


class ConfigurationSerializer(serializers.ModelSerializer):
    class Meta:
        model = GatewayConfiguration
        fields = ["id", "name"]


class ConfigurationDetail(TenantScopedAPIMixin, generics.RetrieveAPIView):
    queryset = GatewayConfiguration.objects.without_secrets()
    serializer_class = ConfigurationSerializer


def test_api_mixin_answers_404_for_another_hospitals_row(layout):
    user = UserFactory(hospital=layout["hospital_a"])
    view = ConfigurationDetail.as_view()

    def get(configuration):
        request = APIRequestFactory().get("/")
        force_authenticate(request, user)
        return view(request, pk=configuration.pk)

    own, foreign = get(layout["a"]), get(layout["b"])

    assert (own.status_code, own.data) == (200, {"id": layout["a"].pk, "name": layout["a"].name})
    assert (foreign.status_code, foreign.data) == (404, {"message": "Not found.", "extra": {}})
