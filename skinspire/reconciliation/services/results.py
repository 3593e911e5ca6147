"""A run's engine result stored: one item per row, with the run's counts and totals.

On PostgreSQL the items go in by one COPY that is fed while the engine still works: the
engine hands over the outcomes it has settled (`reconcile(on_final=...)`, nine pairs in ten
right after its first step) and a thread of ours formats them while the engine goes on with
the rest, so PostgreSQL stores the bulk of the items during the matching instead of after it
(`items_stored`). Each side's items go in in key order, as the unique (run, side, key) index
holds them, the gateway's first: PostgreSQL then adds to the index's last page instead of
searching the tree and splitting pages all over it.
"""

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from itertools import compress, repeat
from operator import attrgetter, eq, is_, itemgetter, not_

from django.db import connection

from skinspire.reconciliation.engine import (
    DISCREPANCIES,
    Category,
    GatewayRow,
    Outcome,
    Reconciliation,
    SystemRow,
)
from skinspire.reconciliation.models import ReconciliationItem, ReconciliationRun
from skinspire.reconciliation.services.copying import NULL, copy_text_open, is_plain, quoted

BATCH = 5000
OUTCOMES_PER_CHUNK = 10_000  # a side's items of that many outcomes: formatted, checked, written at once


# The columns an item is stored with, in the order `_items` gives them. The key first: the
# lines of one side then sort as their keys do (a tab sorts before any character of a key).
ITEM_ATTRIBUTES = (
    "key", "side", "run_id", "group", "category", "match_pass", "rule", "score", "amount_difference",
    "fee_difference", "kind", "row_status", "gateway_id", "utr", "reference", "transaction_date", "amount", "fee",
    "tax",
)  # fmt: skip
GATEWAY_KEYS, SYSTEM_KEYS = itemgetter(1), itemgetter(2)  # Outcome's fields, read from C
_KIND, _STATUS, _GATEWAY_ID, _UTR, _REFERENCE, _DATE, _AMOUNT, _FEE, _TAX, _EXPECTED_FEE = map(
    attrgetter,
    ("kind", "status", "gateway_id", "utr", "reference", "date", "amount", "fee", "tax", "expected_fee"),
)
GATEWAY, SYSTEM = ReconciliationItem.Side.GATEWAY.value, ReconciliationItem.Side.SYSTEM.value


def outcome_group(outcome: Outcome) -> str:
    return f"g:{outcome.gateway_keys[0]}" if outcome.gateway_keys else f"s:{outcome.system_keys[0]}"


def _items(
    run,
    outcomes: Iterable[Outcome],
    gateway: dict[str, GatewayRow],
    system: dict[str, SystemRow],
    sides: Sequence[str] = (GATEWAY, SYSTEM),
) -> Iterator[tuple]:
    """Each item's values in ITEM_ATTRIBUTES order (tuples: millions of them, no model objects),
    NULL as copying.NULL; the items of `sides` only."""
    with_gateway, with_system = GATEWAY in sides, SYSTEM in sides
    for outcome in outcomes:
        common = (
            run.pk,
            outcome_group(outcome)[:220],
            outcome.category,  # members of StrEnums: strings already, written as their value
            outcome.match_pass,
            outcome.rule,
            outcome.score,
            outcome.amount_difference,
            outcome.fee_difference,
        )
        for key in outcome.gateway_keys if with_gateway else ():
            row = gateway[key]
            yield (
                key, GATEWAY, *common, row.kind, row.status, row.gateway_id, row.utr,
                row.reference or row.notes[:200], row.date, row.amount, row.fee, row.tax,
            )  # fmt: skip
        for key in outcome.system_keys if with_system else ():
            ours = system[key]
            yield (
                key, SYSTEM, *common, ours.kind, ours.status, ours.gateway_id, ours.utr,
                ours.reference, ours.date, ours.amount, NULL if ours.expected_fee is None else ours.expected_fee, NULL,
            )  # fmt: skip


def _lines(
    run,
    outcomes: Iterable[Outcome],
    gateway: dict[str, GatewayRow],
    system: dict[str, SystemRow],
) -> tuple[list[str], list[str]]:
    """`_items`' values as COPY's lines, (gateway items, system items), formatted straight from
    the rows: what the items of one outcome share (its verdict) is formatted once for all of
    them, and no tuple is made per item. Pairs of one row on each side, nine outcomes in ten,
    are formatted a column at a time (`_pair_lines`)."""
    outcomes = list(outcomes)
    shapes = zip(map(len, map(GATEWAY_KEYS, outcomes)), map(len, map(SYSTEM_KEYS, outcomes)), strict=True)
    is_pair = list(map(eq, shapes, repeat((1, 1))))
    pairs, others = list(compress(outcomes, is_pair)), compress(outcomes, map(not_, is_pair))
    gateway_lines, system_lines = _pair_lines(run, pairs, gateway, system)
    _outcome_lines(run, others, gateway, system, gateway_lines, system_lines)
    return gateway_lines, system_lines


def _outcome_lines(
    run,
    outcomes: Iterable[Outcome],
    gateway: dict[str, GatewayRow],
    system: dict[str, SystemRow],
    gateway_lines: list[str],
    system_lines: list[str],
) -> None:
    """`_lines` an outcome at a time (any number of rows on each side), added to the lists."""
    join, run_id = "\t".join, str(run.pk)
    for outcome in outcomes:
        common = join((
            GATEWAY, run_id, outcome_group(outcome)[:220], outcome.category, outcome.match_pass, outcome.rule,
            str(outcome.score), str(outcome.amount_difference), str(outcome.fee_difference),
        ))  # fmt: skip
        for key in outcome.gateway_keys:
            row = gateway[key]
            gateway_lines.append(key + "\t" + common + "\t" + join((
                row.kind, row.status, row.gateway_id, row.utr, row.reference or row.notes[:200],
                str(row.date), str(row.amount), str(row.fee), str(row.tax),
            )))  # fmt: skip
        if outcome.system_keys:
            common = SYSTEM + common[len(GATEWAY) :]
        for key in outcome.system_keys:
            ours = system[key]
            system_lines.append(key + "\t" + common + "\t" + join((
                ours.kind, ours.status, ours.gateway_id, ours.utr, ours.reference, str(ours.date),
                str(ours.amount), NULL if ours.expected_fee is None else str(ours.expected_fee), NULL,
            )))  # fmt: skip


def _pair_lines(
    run,
    pairs: list[Outcome],
    gateway: dict[str, GatewayRow],
    system: dict[str, SystemRow],
) -> tuple[list[str], list[str]]:
    """`_lines` for outcomes of one gateway row and one row of ours, a column at a time: every
    loop is a map or zip over a whole column (run in C), and `"\t".join` makes each line, so
    a million pairs cost no Python statement each (a third of `_lines`' time per item)."""
    if not pairs:
        return [], []
    gateway_keys = list(map(itemgetter(0), map(GATEWAY_KEYS, pairs)))
    groups = list(map("g:".__add__, gateway_keys))
    if max(map(len, groups)) > 220:
        groups = [group[:220] for group in groups]
    common = list(
        map(
            "\t".join,
            zip(
                repeat(str(run.pk)),
                groups,
                map(itemgetter(0), pairs),  # category
                map(itemgetter(3), pairs),  # match_pass
                map(itemgetter(4), pairs),  # rule
                map(str, map(itemgetter(5), pairs)),  # score
                map(str, map(itemgetter(6), pairs)),  # amount_difference
                map(str, map(itemgetter(7), pairs)),  # fee_difference
            ),
        )
    )
    theirs = list(map(gateway.__getitem__, gateway_keys))
    references = list(map(_REFERENCE, theirs))
    if not all(references):  # the notes stand in for a missing reference
        references = [row.reference or row.notes[:200] for row in theirs]
    gateway_lines = list(
        map(
            "\t".join,
            zip(
                gateway_keys, repeat(GATEWAY), common, map(_KIND, theirs), map(_STATUS, theirs),
                map(_GATEWAY_ID, theirs), map(_UTR, theirs), references, _dates(theirs),
                map(str, map(_AMOUNT, theirs)), map(str, map(_FEE, theirs)), map(str, map(_TAX, theirs)),
            ),
        )
    )  # fmt: skip
    system_keys = list(map(itemgetter(0), map(SYSTEM_KEYS, pairs)))
    ours = list(map(system.__getitem__, system_keys))
    expected_fees = list(map(_EXPECTED_FEE, ours))
    fees = None  # str() of each, below
    # `is`, not `None in`: comparing a Decimal with None costs an ABC check per value.
    if any(map(is_, expected_fees, repeat(None))):
        fees = [NULL if fee is None else str(fee) for fee in expected_fees]
    system_lines = list(
        map(
            "\t".join,
            zip(
                system_keys, repeat(SYSTEM), common, map(_KIND, ours), map(_STATUS, ours),
                map(_GATEWAY_ID, ours), map(_UTR, ours), map(_REFERENCE, ours), _dates(ours),
                map(str, map(_AMOUNT, ours)), map(str, expected_fees) if fees is None else fees, repeat(NULL),
            ),
        )
    )  # fmt: skip
    return gateway_lines, system_lines


def _dates(rows: list) -> Iterator[str]:
    """The rows' dates as text, each distinct date formatted once (a run spans a few weeks)."""
    dates = list(map(_DATE, rows))
    return map({day: str(day) for day in set(dates)}.__getitem__, dates)


def _write_outcomes(
    write: Callable[[str], None],
    run,
    outcomes: Sequence[Outcome],
    gateway: dict[str, GatewayRow],
    system: dict[str, SystemRow],
    stopped: threading.Event,
) -> None:
    """COPY's text for `outcomes`, each side in key order: the gateway items a chunk at a time,
    from the outcomes sorted by gateway key (the engine's bulk pairs come nearly in that order
    already), then the system items, sorted by key. The unique (run, side, key) index then
    grows at its right-hand end, where PostgreSQL inserts without searching the tree (chunks of
    the two sides taken in turn cost 12% more of its CPU). Both sides' lines of a chunk are
    formatted together, so what an outcome's items share is formatted once (a pass per side
    formatted it twice: 0.8 s more at a million payments); the system lines wait, and are
    sorted as text, which sorts them by key (the key comes first, and a tab sorts before any
    character of a key). A chunk where some text holds a tab, a quote or a line break is
    written from `_items` instead, quoted (its system items after the sorted ones)."""
    width = len(ITEM_ATTRIBUTES)
    system_plain: list[str] = []
    system_quoted: list[str] = []
    ordered = sorted(outcomes, key=GATEWAY_KEYS)
    for start in range(0, len(ordered), OUTCOMES_PER_CHUNK):
        if stopped.is_set():
            return
        chunk = ordered[start : start + OUTCOMES_PER_CHUNK]
        gateway_lines, system_lines = _lines(run, chunk, gateway, system)
        if gateway_lines:
            gateway_lines.sort()  # in order already, but for the few outcomes of several rows
            text = "\n".join(gateway_lines) + "\n"
            plain = is_plain(text, width=width, rows=len(gateway_lines))
            write(text if plain else quoted(_items(run, chunk, gateway, system, sides=(GATEWAY,))))
        if system_lines:
            if is_plain("\n".join(system_lines) + "\n", width=width, rows=len(system_lines)):
                system_plain += system_lines
            else:
                system_quoted.append(quoted(_items(run, chunk, gateway, system, sides=(SYSTEM,))))
    system_plain.sort()
    for start in range(0, len(system_plain), OUTCOMES_PER_CHUNK):
        if stopped.is_set():
            return
        write("\n".join(system_plain[start : start + OUTCOMES_PER_CHUNK]) + "\n")
    for text in system_quoted:
        write(text)


class ItemStore:
    """What `items_stored` gives its block: `add` takes outcomes to store (each outcome once;
    the sequence is not changed afterwards), `finish` waits until every item is stored."""

    def __init__(self, run, gateway: dict[str, GatewayRow], system: dict[str, SystemRow]):
        self.run, self.gateway, self.system = run, gateway, system
        self.finished = False

    def add(self, outcomes: Sequence[Outcome]) -> None:
        _insert(_as_fields(values) for values in _items(self.run, outcomes, self.gateway, self.system))

    def finish(self) -> None:
        self.finished = True


class _CopiedItemStore(ItemStore):
    """Outcomes handed to `add` are queued to a thread that formats them and writes them to
    the COPY (whose own writer thread sends them): the caller goes back to its work at once.
    The thread uses the connection the COPY was opened on, inside the caller's transaction;
    the caller must not use that connection until `finish` returns (it ends the COPY)."""

    def __init__(self, run, gateway, system, write: Callable[[str], None]):
        super().__init__(run, gateway, system)
        self.write = write
        self.copy = ExitStack()  # the COPY's, handed over by items_stored once the thread runs
        self.batches: list[Sequence[Outcome] | None] = []
        self.ready = threading.Condition()
        self.stopped = threading.Event()
        # The thread's end as a Future: whatever it ends with, an error of any kind included, is
        # kept there and raised to the caller by `add` or `finish` (a thread that died unseen
        # would let `finish` end the COPY as if complete, and the run commit without items).
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"reconciliation-items-{run.pk}")
        self.ended = self.worker.submit(self._work)

    def add(self, outcomes: Sequence[Outcome]) -> None:
        if self.ended.done():  # before `finish` only by failing: say so now, not after the engine
            self.ended.result()
        if not outcomes:
            return
        with self.ready:
            self.batches.append(outcomes)
            self.ready.notify()

    def finish(self) -> None:
        """Wait for the thread, then end the COPY (PostgreSQL's last chunks, its checks)."""
        self.finished = True
        self._end()
        error = self.ended.exception()
        if error is not None:
            self.copy.__exit__(type(error), error, error.__traceback__)
            raise error
        self.copy.close()

    def abandon(self, error: BaseException) -> None:
        """The caller failed: stop formatting, abandon the COPY."""
        self.finished = True
        self.stopped.set()
        self._end()
        self.copy.__exit__(type(error), error, error.__traceback__)

    def _end(self) -> None:
        with self.ready:
            self.batches.append(None)  # no more outcomes: the thread ends once it has the rest
            self.ready.notify()
        self.worker.shutdown(wait=True)

    def _work(self) -> None:
        while True:
            with self.ready:
                while not self.batches:
                    self.ready.wait()
                outcomes = self.batches.pop(0)
            if outcomes is None:
                return
            if not self.stopped.is_set():
                _write_outcomes(self.write, self.run, outcomes, self.gateway, self.system, self.stopped)


@contextmanager
def items_stored(
    *, run: ReconciliationRun, gateway: dict[str, GatewayRow], system: dict[str, SystemRow]
) -> Iterator[ItemStore]:
    """Inside the run's transaction. The block hands the run's outcomes to the store's `add`
    as they become final (each outcome exactly once) and may wait for the items with
    `items_finish`; they are all stored when the block ends without error. Any error, in the
    block or while storing (a database error, a formatting bug), is raised out of the block
    and the COPY abandoned: the caller's transaction rolls back with nothing half stored.

    On PostgreSQL the items are COPYed from a thread of their own while the block goes on
    (the engine, typically); elsewhere (the embedded SQLite of `make run`) `add` inserts them
    in batches before returning."""
    if connection.vendor != "postgresql":
        store = ItemStore(run, gateway, system)
        yield store
        return
    with ExitStack() as opened:  # the COPY abandoned if the store's thread cannot start
        write = opened.enter_context(copy_text_open(ReconciliationItem, ITEM_ATTRIBUTES))
        copied = _CopiedItemStore(run, gateway, system, write)
        copied.copy = opened.pop_all()  # from here on the store ends the COPY
    try:
        yield copied
    except BaseException as error:
        if not copied.finished:
            copied.abandon(error)
        raise
    if not copied.finished:
        copied.finish()


def items_finish(store: ItemStore) -> None:
    """Wait until every item handed to `store` is stored (a function of its own, so the bench
    can time what storing takes once the engine is done)."""
    store.finish()


def _as_fields(values: tuple) -> dict:
    fields = dict(zip(ITEM_ATTRIBUTES, values, strict=True))
    for name in ("fee", "tax"):
        fields[name] = None if fields[name] == NULL else fields[name]
    return fields


def _insert(items: Iterator[dict]) -> None:
    batch: list[ReconciliationItem] = []
    for values in items:
        batch.append(ReconciliationItem(**values))
        if len(batch) == BATCH:
            ReconciliationItem.objects.bulk_create(batch)
            batch = []
    ReconciliationItem.objects.bulk_create(batch)


def run_counts(*, result: Reconciliation, gateway_rows: int, system_rows: int) -> dict:
    """The run's counts and totals (fields of the run), from the result alone: a run works them
    out while its items are still being stored, and saves them after (`run_counts_store`)."""
    counts = result.counts()
    return {
        "gateway_row_count": gateway_rows,
        "system_row_count": system_rows,
        "category_counts": {category.value: count for category, count in counts.items()},
        "matched_count": counts[Category.MATCHED],
        "discrepancy_count": sum(counts[category] for category in DISCREPANCIES),
        "match_rate": result.match_rate(),
        "gross": result.totals.gross,
        "fees": result.totals.fees,
        "tax": result.totals.tax,
        "net": result.totals.net,
    }


def run_counts_store(*, run: ReconciliationRun, counts: dict) -> None:
    for name, value in counts.items():
        setattr(run, name, value)
    run.save(update_fields=list(counts))
