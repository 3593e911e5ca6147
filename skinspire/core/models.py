from django.contrib.auth.models import AbstractUser
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Hospital(TimeStampedModel):
    name = models.CharField(max_length=200, unique=True)
    code = models.SlugField(max_length=40, unique=True)

    tenant_hospital_field = "pk"  # see skinspire.core.tenancy

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Branch(TimeStampedModel):
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="branches")
    name = models.CharField(max_length=200)
    code = models.SlugField(max_length=40)

    tenant_hospital_field = "hospital"  # see skinspire.core.tenancy

    class Meta:
        ordering = ["hospital__name", "name"]
        verbose_name_plural = "branches"
        constraints = [
            models.UniqueConstraint(fields=["hospital", "code"], name="branch_code_unique_per_hospital")
        ]

    def __str__(self):
        return f"{self.hospital.name} — {self.name}"


class User(AbstractUser):
    """Staff user. Belongs to one hospital and some of its branches (superusers: none)."""

    hospital = models.ForeignKey(
        Hospital, on_delete=models.PROTECT, null=True, blank=True, related_name="staff"
    )
    branches = models.ManyToManyField(Branch, blank=True, related_name="staff")

    tenant_hospital_field = "hospital"  # see skinspire.core.tenancy
