"""Scores: how strong the evidence for a match is, from 0 to 1, in thousandths.

Each pass has a ceiling, so a weaker pass never outranks a stronger one: an exact gateway id
is 1.000; UTR + amount 0.950; one-to-many by UTR 0.900, by reference 0.850; the fuzzy pass
0.200 to 0.800 from how close the amount and date are and how alike the references are.

In the fuzzy pass the reference weighs most: the same reference a rupee off is likelier the
same payment than an exact amount under another reference (consultation fees repeat), so
two references that are both present and unalike count against a pair.
"""

import functools
from decimal import Decimal

from skinspire.reconciliation.engine.rows import GatewayRow, MatchingRules, SystemRow

THOUSANDTHS = Decimal("0.001")
GATEWAY_ID = Decimal("1.000")
UTR_AMOUNT = Decimal("0.950")
ONE_TO_MANY_UTR = Decimal("0.900")
ONE_TO_MANY_REFERENCE = Decimal("0.850")
FUZZY_BASE = Decimal("0.300")
FUZZY_AMOUNT_WEIGHT = Decimal("0.150")
FUZZY_DATE_WEIGHT = Decimal("0.150")
FUZZY_REFERENCE_WEIGHT = Decimal("0.200")
UNALIKE = Decimal("-0.5")
PAISA = Decimal("0.01")
SHORTEST_PARTIAL_REFERENCE = 4  # "12" inside "BILL-1234" says nothing


NO_REFERENCE, SAME_REFERENCE, PARTLY_ALIKE = Decimal(0), Decimal(1), Decimal("0.5")


# Unbounded while a run lasts (a million references would churn a bounded cache, and each
# reference is asked for many times), emptied by `forget` when the run ends.
@functools.cache
def normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def forget() -> None:
    """Drop what the run cached, so that a long-lived worker does not keep every reference."""
    normalised.cache_clear()


def reference_similarity(gateway: GatewayRow, system: SystemRow) -> Decimal:
    """1 when the gateway echoes our reference exactly (in `reference` or as the whole of
    `notes`), 0.5 when one contains the other, -0.5 when both sides have one and they are
    unalike, 0 when either side has none."""
    return similarity(normalised(system.reference) if system.reference else "", references_of(gateway))


def references_of(gateway: GatewayRow) -> list[str]:
    """The gateway row's reference and notes, normalised, the empty ones left out."""
    return [text for text in (normalised(gateway.reference), normalised(gateway.notes)) if text]


def similarity(ours: str, theirs: list[str]) -> Decimal:
    """reference_similarity from our normalised reference and `references_of` the gateway row
    (a pass that compares one line with many rows of ours works these out once per line)."""
    if not ours or not theirs:
        return NO_REFERENCE
    best = UNALIKE
    for text in theirs:
        if text == ours:
            return SAME_REFERENCE
        shorter = min(len(text), len(ours))
        if shorter >= SHORTEST_PARTIAL_REFERENCE and (ours in text or text in ours):
            best = PARTLY_ALIKE
    return best


def days_apart(gateway: GatewayRow, system: SystemRow) -> int:
    return abs((gateway.date - system.date).days)


def fuzzy_score(gateway: GatewayRow, system: SystemRow, rules: MatchingRules) -> Decimal:
    return fuzzy_score_of(
        abs(gateway.amount - system.amount),
        days_apart(gateway, system),
        reference_similarity(gateway, system),
        rules,
    )


def fuzzy_score_of(difference: Decimal, days: int, similarity: Decimal, rules: MatchingRules) -> Decimal:
    """The fuzzy score from what it depends on (so a pass can remember it for each triple)."""
    amount_closeness = 1 - difference / (rules.amount_tolerance + PAISA)
    date_closeness = 1 - Decimal(days) / (rules.date_window_days + 1)
    score = (
        FUZZY_BASE
        + FUZZY_AMOUNT_WEIGHT * amount_closeness
        + FUZZY_DATE_WEIGHT * date_closeness
        + FUZZY_REFERENCE_WEIGHT * similarity
    )
    return score.quantize(THOUSANDTHS)
