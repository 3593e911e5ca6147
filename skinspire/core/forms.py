"""Form fields shared by the staff pages and admin."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from skinspire.core.money import PAISA, AmountTextError, amount_from_text


class AmountFormField(forms.DecimalField):
    """Rupees typed into a form, read by the one rule for typed amounts (core.money): Django's
    DecimalField hands the text to Decimal, which also reads "١٥٠٠", "1_500", "1e3" and "+5".
    `minimum` is the least amount taken (0.01 unless told; 0 for a threshold or tolerance)."""

    def __init__(self, *, minimum: Decimal | None = PAISA, **kwargs):
        self.minimum = minimum
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return amount_from_text(str(value), minimum=self.minimum)
        except AmountTextError as error:
            raise ValidationError(error.message, code=error.code) from error


def amount_form_fields(*, minimum: Decimal | None = PAISA) -> dict:
    """A ModelAdmin's `formfield_overrides`: every decimal it edits is an amount in rupees."""
    return {models.DecimalField: {"form_class": AmountFormField, "minimum": minimum}}
