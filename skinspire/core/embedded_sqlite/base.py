"""SQLite as `make run` uses it: Django's backend, with sums of money exact to the paisa.

SQLite keeps a DECIMAL column as a floating-point number and adds such numbers up as floats:
a hundred payments of ₹35.40 sum to 3540.00000000001. Django rounds a bare column it reads to
its field's decimal places, but not an aggregate or any other expression (its converter
quantizes `Col`s only), so on SQLite a bill paid in full by many parts could read as part
paid, and a payment's last rupees as not refundable. Here every expression whose output field
has decimal places is rounded to them too, as PostgreSQL's exact numeric gives it: a float's
15 significant digits hold ₹10 trillion to the paisa. An expression of money must therefore
say its decimal places (DecimalField(max_digits=..., decimal_places=2)).
"""

from decimal import Context, Decimal

from django.db.backends.sqlite3 import base, operations

QUANTIZE_CONTEXT = Context(prec=28)


class DatabaseOperations(operations.DatabaseOperations):
    def get_decimalfield_converter(self, expression):
        converter = super().get_decimalfield_converter(expression)
        places = getattr(expression.output_field, "decimal_places", None)
        if places is None:
            return converter
        quantum = Decimal(1).scaleb(-places)

        def quantized(value, expression, connection):
            value = converter(value, expression, connection)
            return None if value is None else value.quantize(quantum, context=QUANTIZE_CONTEXT)

        return quantized


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
