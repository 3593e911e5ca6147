"""A run's new discrepancies stored by COPY (PostgreSQL), their lines formatted a chunk at a time.

A first run of a million payments finds about 97,000. Formatted value by value (`copy_rows`:
`json.dumps` twice a row, then `csv.writer`, since JSON's quotes need CSV's quoting) they cost
1.1 s of CPU; written here as CSV lines directly (the key lists as JSON already quoted for CSV)
0.5 s. A chunk is checked as a whole: when some text in it holds a quote, a backslash, a tab, a
line break or another control character (which JSON would have to escape), it is written from
the values by `csv.writer` instead, as before. Rows go in fingerprint order, so the unique
(configuration, fingerprint) index grows at its right-hand end rather than at random places
(PostgreSQL's share of the COPY: 1.0-1.1 s of CPU in random order, 0.8-0.9 s sorted).
"""

import json
import re
from collections.abc import Callable, Sequence
from operator import itemgetter

from skinspire.reconciliation.engine import Outcome
from skinspire.reconciliation.models import Discrepancy, ReconciliationRun
from skinspire.reconciliation.services.copying import CHUNK, copy_text_open, other_columns, quoted

# What `_values` gives, in order; the other columns take their defaults (status open...).
NEW_ATTRIBUTES = (
    "hospital_id", "configuration_id", "fingerprint", "category", "run_date", "first_run_id", "last_run_id",
    "gateway_keys", "system_keys", "summary", "amount_difference",
)  # fmt: skip
ESCAPED_IN_JSON = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\\]")  # tab, newline and CR are counted instead


def discrepancies_copy(run: ReconciliationRun, new: list[tuple[str, Outcome]]) -> None:
    """Store `new` (fingerprint, outcome) pairs as open discrepancies first and last seen by `run`."""
    names, defaults = other_columns(Discrepancy, NEW_ATTRIBUTES)
    ordered = sorted(new, key=itemgetter(0))
    with copy_text_open(Discrepancy, NEW_ATTRIBUTES + names) as write:
        _write(write, run, ordered, defaults)


def _write(write: Callable[[str], None], run: ReconciliationRun, ordered: list, defaults: tuple) -> None:
    tail = "\t".join(map(str, defaults))
    start = f"{run.hospital_id}\t{run.configuration_id}\t"
    middle = f"\t{run.run_date}\t{run.pk}\t{run.pk}\t"
    width = len(NEW_ATTRIBUTES) + len(defaults)
    for first in range(0, len(ordered), CHUNK):
        chunk = ordered[first : first + CHUNK]
        lines = [
            f"{start}{key}\t{outcome.category}{middle}{_json_quoted(outcome.gateway_keys)}\t"
            f"{_json_quoted(outcome.system_keys)}\t{outcome.rule}\t{outcome.amount_difference}\t{tail}"
            for key, outcome in chunk
        ]
        text = "\n".join(lines) + "\n"
        if _as_meant(text, chunk, width=width):
            write(text)
        else:
            write(quoted([_values(run, key, outcome) + defaults for key, outcome in chunk]))


def _json_quoted(keys: Sequence[str]) -> str:
    """`json.dumps(keys)` as a CSV value (quoted, its quotes doubled), for keys JSON need not escape."""
    return '"[""' + '"",""'.join(keys) + '""]"' if keys else "[]"


def _as_meant(text: str, chunk: list, *, width: int) -> bool:
    """No quote, tab or line break but those the lines were written with, and nothing JSON
    would escape: the quotes of each list of n keys are 4n + 2."""
    quotes = sum(
        4 * len(keys) + 2
        for _, outcome in chunk
        for keys in (outcome.gateway_keys, outcome.system_keys)
        if keys
    )
    return (
        text.count('"') == quotes
        and text.count("\t") == (width - 1) * len(chunk)
        and text.count("\n") == len(chunk)
        and "\r" not in text
        and ESCAPED_IN_JSON.search(text) is None
    )


def _values(run: ReconciliationRun, key: str, outcome: Outcome) -> tuple:
    return (
        run.hospital_id, run.configuration_id, key, outcome.category, run.run_date, run.pk, run.pk,
        json.dumps(outcome.gateway_keys), json.dumps(outcome.system_keys), outcome.rule, outcome.amount_difference,
    )  # fmt: skip
