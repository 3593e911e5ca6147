"""DRF's JSON parser, reading through the project's one safe JSON loader.

DRF's own parser turns only `ValueError` into a 400, so a body nested 1,000 deep (a
RecursionError) was a 500; here every way a body can be unreadable is a ParseError, which
the exception handler renders as `{"message", "extra"}` with status 400.
"""

from decimal import Decimal

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from skinspire.core import json_input


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
            # Numbers with a fraction as Decimal, exactly as written: as a float,
            # 1500.0000000000000001 would reach an amount field as 1500.0, a rounding where a
            # sub-paise amount must be refused (skinspire.core.api.AmountField).
            return json_input.loads(text, parse_float=Decimal)
        except (UnicodeError, LookupError):
            raise ParseError(f"JSON parse error - the body is not {encoding} text.") from None
        except json_input.JSONInputError as error:
            raise ParseError(f"JSON parse error - {error}") from None
