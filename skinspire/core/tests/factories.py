import factory
from django.contrib.auth.models import Group

from skinspire.core.models import Branch, Hospital, User


class HospitalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hospital

    name = factory.Sequence(lambda n: f"Hospital {n}")
    code = factory.Sequence(lambda n: f"hosp-{n}")


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch

    hospital = factory.SubFactory(HospitalFactory)
    name = factory.Sequence(lambda n: f"Branch {n}")
    code = factory.Sequence(lambda n: f"br-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    hospital = factory.SubFactory(HospitalFactory)
    password = factory.django.Password("correct-horse-battery")
    is_staff = True

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """UserFactory(roles=[ROLE_GATEWAY_ADMIN]): groups created by core's roles migration."""
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))

    @factory.post_generation
    def branches(self, create, extracted, **kwargs):
        if create and extracted:
            self.branches.add(*extracted)
