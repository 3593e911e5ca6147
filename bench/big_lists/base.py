# ruff: noqa: E402  (django.setup() must run before the models are imported)
import django

django.setup()
from django.contrib.auth.models import Group

from skinspire.collections.models import Patient
from skinspire.core.models import Branch, Hospital, User
from skinspire.ledger.models import Account
from skinspire.payouts.models import Supplier

h1 = Hospital.objects.create(name="Chain One", code="C1")
h2 = Hospital.objects.create(name="Chain Two", code="C2")
for h in (h1, h2):
    for i in range(10):
        Branch.objects.create(hospital=h, name=f"{h.code} branch {i}", code=f"B{i}")
root = User.objects.create_superuser("root", "root@example.com", "x")
staff = User.objects.create_user("staff", "s@example.com", "x", is_staff=True, hospital=h1)
staff.groups.set(Group.objects.all())
staff.branches.set(Branch.objects.filter(hospital=h1)[:5])
for h in (h1, h2):
    Patient.objects.bulk_create(
        [Patient(hospital=h, patient_number=f"P{i}", name=f"Patient {i}") for i in range(1000)]
    )
    Supplier.objects.bulk_create([Supplier(hospital=h, name=f"Supplier {i}") for i in range(200)])
print(Group.objects.values_list("name", flat=True), Account.objects.count())
