"""The matching passes, strongest evidence first. Each takes what it pairs out of the pool.

1. gateway id: the gateway's payout / payment / refund id is on our row;
2. UTR + amount: the bank reference and the exact amount agree;
3. one-to-many: one gateway line whose amount is exactly the sum of several rows of ours
   sharing its UTR (or its reference, within the date window). This runs before the fuzzy
   pass because an exact sum is stronger evidence than a close amount, and a fuzzy match
   taken first could steal one member of the group;
4. fuzzy: a close amount within the date window, the reference breaking ties.

Within a pass, candidate pairs are taken best first (score, then date and reference, then
keys), so the outcome does not depend on the order the rows came in.
"""

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from skinspire.core.text import counted
from skinspire.reconciliation.engine import scoring
from skinspire.reconciliation.engine.pool import Pairing, Pool, ids_conflict
from skinspire.reconciliation.engine.rows import ZERO, GatewayRow, MatchingRules, Pass, SystemRow

FUZZY_NEAREST = 16  # rows of ours per gateway line the fuzzy pass scores, besides same-reference ones
REFERENCE_WORDS = {Decimal(1): "same", Decimal("0.5"): "partly alike", scoring.UNALIKE: "unalike"}
# (closeness, gateway key, system key, gateway row, system row, score, what the rule says
# besides the rows), sorted as plain tuples, best first. Closeness is a tuple, or in the fuzzy
# pass the score in thousandths negated (an int: no tuple for each of its many candidates, and
# ints sort faster than Decimals: 0.045-0.054 s instead of 0.07-0.10 s for the 210,000
# candidates at 1M payments). A pair is a candidate once, so the keys settle every tie.
Candidate = tuple[tuple | int, str, str, GatewayRow, SystemRow, Decimal, object]


def _take_best(pool: Pool, candidates: list[Candidate], match_pass: Pass, rule: Callable) -> list[Pairing]:
    pairings = []
    candidates.sort()
    for _, gateway_key, system_key, gateway, system, score, detail in candidates:
        if gateway_key in pool.gateway and system_key in pool.system:
            pool.take(gateway=gateway, system=[system])
            pairings.append(Pairing(gateway, (system,), match_pass, rule(gateway, system, detail), score))
    return pairings


def by_gateway_id(pool: Pool) -> list[Pairing]:
    """Gateway duplicates are out of the pool by now, so each id is asked for once."""
    ours: dict[tuple, list[SystemRow]] = defaultdict(list)
    for row in pool.system_rows():
        if row.gateway_id:
            ours[(row.kind, row.gateway_id)].append(row)
    pairings = []
    for gateway in pool.gateway_rows():
        found = ours.get((gateway.kind, gateway.gateway_id)) if gateway.gateway_id else None
        if not found:
            continue
        chosen, rule = _by_id_choice(gateway, found)
        pool.take(gateway=gateway, system=chosen)
        pairings.append(Pairing(gateway, chosen, Pass.GATEWAY_ID, rule, scoring.GATEWAY_ID))
    return pairings


def _by_id_choice(gateway: GatewayRow, found: list[SystemRow]) -> tuple[tuple[SystemRow, ...], str]:
    if len(found) == 1:
        return (found[0],), f"gateway id {gateway.gateway_id} on both sides"
    total = sum((row.amount for row in found), Decimal(0))
    if total == gateway.amount:
        return tuple(
            found
        ), f"gateway id {gateway.gateway_id} on {len(found)} rows of ours adding up to {total}"
    best = min(
        found, key=lambda row: (row.amount != gateway.amount, abs(row.amount - gateway.amount), row.key)
    )
    return (best,), f"gateway id {gateway.gateway_id} on both sides"


def by_utr_and_amount(pool: Pool) -> list[Pairing]:
    ours: dict[tuple, list[SystemRow]] = defaultdict(list)
    for row in pool.system_rows():
        if row.utr:
            ours[(row.kind, row.utr, row.amount)].append(row)
    candidates: list[Candidate] = []
    for gateway in pool.gateway_rows():
        for system in ours.get((gateway.kind, gateway.utr, gateway.amount), []) if gateway.utr else []:
            if not ids_conflict(gateway, system):
                closeness = (
                    scoring.days_apart(gateway, system),
                    -scoring.reference_similarity(gateway, system),
                )
                candidates.append(
                    (closeness, gateway.key, system.key, gateway, system, scoring.UTR_AMOUNT, None)
                )

    def rule(gateway: GatewayRow, system: SystemRow, _: object) -> str:
        return f"UTR {gateway.utr} and amount {gateway.amount} on both sides"

    return _take_best(pool, candidates, Pass.UTR_AMOUNT, rule)


def one_to_many(pool: Pool, rules: MatchingRules) -> list[Pairing]:
    by_utr: dict[tuple, list[SystemRow]] = defaultdict(list)
    by_reference: dict[tuple, list[SystemRow]] = defaultdict(list)
    for row in pool.system_rows():
        if row.utr:
            by_utr[(row.kind, row.utr)].append(row)
        if row.reference:
            by_reference[(row.kind, scoring.normalised(row.reference))].append(row)
    pairings = []
    for gateway in pool.gateway_rows():
        if not _may_add_up(gateway, by_utr, by_reference):
            continue
        pairing = _group_by_utr(pool, gateway, by_utr) or _group_by_reference(
            pool, gateway, by_reference, rules
        )
        if pairing:
            pool.take(gateway=gateway, system=pairing.system)
            pairings.append(pairing)
    return pairings


def _may_add_up(gateway: GatewayRow, by_utr: dict, by_reference: dict) -> bool:
    """Whether two or more rows of ours share the line's UTR or one of its references: most
    lines have one (their own payment) or none, and need no closer look."""
    kind = gateway.kind
    return (
        (bool(gateway.utr) and len(by_utr.get((kind, gateway.utr), ())) > 1)
        or (
            bool(gateway.reference)
            and len(by_reference.get((kind, scoring.normalised(gateway.reference)), ())) > 1
        )
        or (bool(gateway.notes) and len(by_reference.get((kind, scoring.normalised(gateway.notes)), ())) > 1)
    )


def _usable(pool: Pool, gateway: GatewayRow, rows: Sequence[SystemRow]) -> tuple[SystemRow, ...]:
    return tuple(row for row in rows if pool.has_system(row) and not ids_conflict(gateway, row))


def _adds_up(gateway: GatewayRow, rows: tuple[SystemRow, ...]) -> bool:
    return len(rows) > 1 and sum((row.amount for row in rows), Decimal(0)) == gateway.amount


def _group_by_utr(pool: Pool, gateway: GatewayRow, by_utr: dict) -> Pairing | None:
    rows = by_utr.get((gateway.kind, gateway.utr), ()) if gateway.utr else ()
    if len(rows) < 2:  # nothing to add up (most lines: their own payment or none)
        return None
    group = _usable(pool, gateway, rows)
    if not _adds_up(gateway, group):
        return None
    rule = f"one line for {len(group)} rows of ours with UTR {gateway.utr}, adding up to {gateway.amount}"
    return Pairing(gateway, group, Pass.ONE_TO_MANY, rule, scoring.ONE_TO_MANY_UTR)


def _group_by_reference(
    pool: Pool, gateway: GatewayRow, by_reference: dict, rules: MatchingRules
) -> Pairing | None:
    for text in (gateway.reference, gateway.notes):
        reference = scoring.normalised(text) if text else ""
        rows = by_reference.get((gateway.kind, reference), ()) if reference else ()
        if len(rows) < 2:  # nothing to add up
            continue
        group = tuple(
            row
            for row in _usable(pool, gateway, rows)
            if scoring.days_apart(gateway, row) <= rules.date_window_days
        )
        if _adds_up(gateway, group):
            rule = f"one line for {len(group)} rows of ours with reference {text.strip()}, adding up to {gateway.amount}"
            return Pairing(gateway, group, Pass.ONE_TO_MANY, rule, scoring.ONE_TO_MANY_REFERENCE)
    return None


def fuzzy(pool: Pool, rules: MatchingRules) -> list[Pairing]:
    """Amounts within the tolerance, dates within the window, same kind, no conflicting ids.

    Every row of ours with the line's reference is scored; of the rest, at most
    FUZZY_NEAREST per line, nearest date first (then key), so that thousands of equal amounts
    (consultation fees) cost a bounded number of comparisons each, not every pair.
    """
    width = max(rules.amount_tolerance, scoring.PAISA)
    # (kind, amount bucket) -> day -> rows: one look-up per neighbouring bucket finds it empty
    # (most amounts are rare), before any of the window's days is asked for.
    by_amount: dict[tuple, dict[date, list[SystemRow]]] = defaultdict(lambda: defaultdict(list))
    by_reference: dict[tuple, list[SystemRow]] = defaultdict(list)
    for row in pool.system_rows():
        by_amount[(row.kind, int(row.amount // width))][row.date].append(row)
        if row.reference:
            by_reference[(row.kind, scoring.normalised(row.reference))].append(row)
    days = sorted(
        range(-rules.date_window_days, rules.date_window_days + 1), key=lambda offset: (abs(offset), offset)
    )
    offsets = [timedelta(days=offset) for offset in days]
    tolerance, window = rules.amount_tolerance, rules.date_window_days
    # (amount difference, days apart, similarity) -> (score, the closeness candidates sort on)
    scores: dict[tuple, tuple[Decimal, int]] = {}
    candidates: list[Candidate] = []
    for gateway in pool.gateway_rows():
        # The checks and the score, written out with what is the same for every row of ours
        # worked out once per line: this runs for every row _fuzzy_rows offers.
        amount, day, identity = gateway.amount, gateway.date, gateway.gateway_id
        references = scoring.references_of(gateway)
        for system in _fuzzy_rows(gateway, by_amount, by_reference, offsets, width):
            # Equal amounts (consultation fees) skip the subtraction and, more, hashing a new
            # Decimal in the `scores` key below (0.33 µs a hash; ZERO's is worked out once):
            # most of the fuzzy pass's 210,000 candidates at 1M payments.
            difference = ZERO if amount == system.amount else abs(amount - system.amount)
            if difference > tolerance:
                continue
            apart = abs((day - system.date).days)
            if apart > window or (identity and system.gateway_id and system.gateway_id != identity):
                continue  # too far apart, or ids that conflict (pool.ids_conflict)
            ours = scoring.normalised(system.reference) if system.reference else ""
            similarity = scoring.similarity(ours, references)
            why = (difference, apart, similarity)
            scored = scores.get(why)
            if scored is None:
                score = scoring.fuzzy_score_of(difference, apart, similarity, rules)
                scored = scores[why] = (score, -int(score.scaleb(3)))  # exact: in thousandths
            candidates.append((scored[1], gateway.key, system.key, gateway, system, scored[0], why))

    def rule(gateway: GatewayRow, system: SystemRow, why: tuple) -> str:
        _, apart, similarity = why  # worked out for the score: not again for each pair
        reference = REFERENCE_WORDS.get(similarity, "not given on both sides")
        return (
            f"amount {gateway.amount} vs {system.amount} (tolerance ±{rules.amount_tolerance}), "
            f"{counted(apart, 'day')} apart (window ±{rules.date_window_days}), reference {reference}"
        )

    return _take_best(pool, candidates, Pass.FUZZY, rule)


def _fuzzy_rows(
    gateway: GatewayRow, by_amount: dict, by_reference: dict, offsets: list[timedelta], width: Decimal
):
    seen: set[str] = set()
    for text in (gateway.reference, gateway.notes):
        for system in by_reference.get((gateway.kind, scoring.normalised(text)), ()) if text else ():
            if system.key not in seen:
                seen.add(system.key)
                yield system
    bucket, nearest = int(gateway.amount // width), 0
    kind = gateway.kind
    neighbours = [
        found
        for found in (
            by_amount.get((kind, bucket)),
            by_amount.get((kind, bucket - 1)),
            by_amount.get((kind, bucket + 1)),
        )
        if found is not None
    ]
    if not neighbours:
        return
    for offset in offsets:
        day = gateway.date + offset
        for by_day in neighbours:
            for system in by_day.get(day, ()):
                if system.key in seen:
                    continue
                seen.add(system.key)
                yield system
                nearest += 1
                if nearest >= FUZZY_NEAREST:
                    return
