"""The matching engine alone, no database: `reconcile` on the labelled data of the tests, beside
a plain Python-dict full join of the same rows on the gateway id, measured in the same run.

A quick loop for work on skinspire/reconciliation/engine/ (bench_reconciliation.py measures
the whole run against PostgreSQL, and takes minutes at 1M). CPU seconds of this process are
reported next to wall time, since the machine is shared.

    python bench/bench_recon_engine.py [payments] [--profile]

payments defaults to BENCH_RECON_ROWS or 200,000. The generated data is cached in /tmp (it
takes longer to make than to match). --profile prints the engine's cProfile top 30.
"""

import cProfile
import hashlib
import os
import pickle
import pstats
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from skinspire.reconciliation.engine import reconcile
from skinspire.reconciliation.engine.memory import cyclic_gc_paused
from skinspire.reconciliation.tests import labelled


def data_for(payments: int) -> labelled.Labelled:
    """Made once per size and generator version, then read from /tmp."""
    version = hashlib.sha256(Path(labelled.__file__).read_bytes()).hexdigest()[:12]
    cache = Path(f"/tmp/bench_recon_engine_{payments}_{version}.pickle")
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    data = labelled.labelled_data(payments=payments)
    cache.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    return data


def dict_join(gateway_rows, system_rows) -> int:
    """What the SQL baseline does (a full join on the gateway id, counted), in Python dicts."""
    ours: dict[str, list] = {}
    for row in system_rows:
        ours.setdefault(row.gateway_id, []).append(row)
    count, joined = 0, set()
    for row in gateway_rows:
        found = ours.get(row.gateway_id)
        if found:
            count += len(found)
            joined.add(row.gateway_id)
        else:
            count += 1
    return count + sum(len(rows) for identity, rows in ours.items() if identity not in joined)


def timed(function, *args, **kwargs):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    given = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    payments = int(given[0] if given else os.environ.get("BENCH_RECON_ROWS", "200000"))
    data = data_for(payments)
    both = len(data.gateway) + len(data.system)
    print(f"engine: {len(data.gateway):,} gateway lines x {len(data.system):,} rows of ours = {both:,} rows")

    def joined():
        with cyclic_gc_paused():  # as the engine runs, so the baseline is not charged for the GC
            return dict_join(data.gateway, data.system)

    _, join_wall, join_cpu = timed(joined)
    arguments: dict[str, Any] = {
        "gateway_rows": data.gateway,
        "system_rows": data.system,
        "as_of": labelled.AS_OF,
    }
    if "--profile" in sys.argv:
        profile = cProfile.Profile()
        result = profile.runcall(reconcile, **arguments)
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)
    result, wall, cpu = timed(reconcile, **arguments)
    found = result.category_of()
    wrong = sum(1 for row, label in data.labels.items() if found.get(row) != label)
    print(f"  reconcile: {wall:.2f}s wall, {cpu:.2f}s CPU = {both / cpu:,.0f} rows/CPU-second")
    print(f"  dict join on the gateway id: {join_wall:.2f}s wall, {join_cpu:.2f}s CPU")
    print(f"  engine / dict join: {cpu / join_cpu:.1f}x the CPU time")
    print(f"  categories: {dict(Counter(found.values()))}")
    print(f"  against the labels: {1 - wrong / len(data.labels):.4%} right ({wrong} wrong)")
    print(f"  counts {result.counts()}, match rate {result.match_rate()}, totals {result.totals}")


if __name__ == "__main__":
    main()
