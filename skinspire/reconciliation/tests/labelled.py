"""Labelled data for the engine: our payments and the gateway's lines for them, with the
noise real settlements have, and the category every row should end in.

Most payments settle cleanly; around them: fees off, a day's shift, our row missing the
gateway id (the webhook never came) so UTR or amount must do, amounts a rupee off,
repeated gateway lines, lines we have no row for, payments the gateway never settled (old
enough to be missing, or still expected), one line settling several payments, and payments
we think failed that the gateway settled. Deterministic for a seed.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from skinspire.reconciliation.engine import Category, GatewayRow, Kind, RowStatus, SystemRow

AS_OF = date(2026, 4, 30)
FEE_RATE = Decimal("0.0236")  # 2% + 18% GST, as the sandbox charges
PAISA = Decimal("0.01")
STANDARD_FEES = [Decimal("500.00"), Decimal("1000.00"), Decimal("1500.00")]


@dataclass
class Labelled:
    gateway: list[GatewayRow] = field(default_factory=list)
    system: list[SystemRow] = field(default_factory=list)
    labels: dict[tuple[str, str], Category] = field(default_factory=dict)

    def add(
        self, *, gateway: Sequence[GatewayRow] = (), system: Sequence[SystemRow] = (), category: Category
    ):
        for row in gateway:
            self.gateway.append(row)
            self.labels[("gateway", row.key)] = category
        for system_row in system:
            self.system.append(system_row)
            self.labels[("system", system_row.key)] = category


def _fee(amount: Decimal) -> Decimal:
    return (amount * FEE_RATE).quantize(PAISA)


class Generator:
    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.data = Labelled()
        self.number = 0

    def _pair(self, *, kind: Kind = Kind.COLLECTION) -> tuple[SystemRow, GatewayRow]:
        self.number += 1
        amount = Decimal(self.random.randint(10_000, 50_000_000)) / 100
        if self.random.random() < 0.2:  # consultation fees: many payments of the same amount
            amount = self.random.choice(STANDARD_FEES)
        day = AS_OF - timedelta(days=self.random.randint(3, 20))
        reference = f"BILL-{self.number:07d}"
        gateway_id, utr = f"pay_{self.number:014d}", f"UTR{self.number:012d}"
        ours = SystemRow(
            f"s{self.number}", gateway_id, utr, amount, _fee(amount), RowStatus.SUCCESS, day, kind, reference
        )
        line = GatewayRow(
            f"setl/{gateway_id}", gateway_id, utr, amount, _fee(amount), (_fee(amount) * 18 / 118).quantize(PAISA),
            RowStatus.SUCCESS, day, kind, reference, "", "setl",
        )  # fmt: skip
        return ours, line

    def clean(self):
        ours, line = self._pair()
        self.data.add(gateway=[line], system=[ours], category=Category.MATCHED)

    def noisy_but_matching(self):
        """Our row lacks the gateway id; the UTR may be missing on either side; a day's shift."""
        ours, line = self._pair()
        ours = ours._replace(gateway_id="", utr=ours.utr if self.random.random() < 0.5 else "")
        line = line._replace(date=line.date + timedelta(days=self.random.choice([-1, 0, 1])))
        self.data.add(gateway=[line], system=[ours], category=Category.MATCHED)

    def fee_off(self):
        ours, line = self._pair()
        self.data.add(
            gateway=[line._replace(fee=line.fee + Decimal("0.50"))],
            system=[ours],
            category=Category.FEE_MISMATCH,
        )

    def amount_off(self):
        ours, line = self._pair()
        if self.random.random() < 0.5:
            ours = ours._replace(gateway_id="")  # then only the fuzzy pass can find it
        line = line._replace(amount=line.amount - Decimal("1.00"))
        self.data.add(gateway=[line], system=[ours], category=Category.AMOUNT_MISMATCH)

    def status_off(self):
        ours, line = self._pair()
        self.data.add(
            gateway=[line], system=[ours._replace(status=RowStatus.FAILED)], category=Category.STATUS_MISMATCH
        )

    def duplicated(self):
        ours, line = self._pair()
        self.data.add(gateway=[line], system=[ours], category=Category.MATCHED)
        self.data.add(gateway=[line._replace(key=line.key + "#2")], category=Category.DUPLICATE)

    def only_at_gateway(self):
        _, line = self._pair()
        self.data.add(gateway=[line], category=Category.MISSING_IN_SYSTEM)

    def only_ours(self):
        ours, _ = self._pair()
        young = self.random.random() < 0.3
        ours = ours._replace(date=AS_OF - timedelta(days=1)) if young else ours
        self.data.add(system=[ours], category=Category.EXPECTED if young else Category.MISSING_AT_GATEWAY)

    def one_line_for_several(self):
        parts = [self._pair() for _ in range(self.random.randint(2, 4))]
        utr = parts[0][0].utr
        ours = [row._replace(gateway_id="", utr=utr, date=parts[0][0].date) for row, _ in parts]
        total = sum((row.amount for row in ours), Decimal(0))
        line = parts[0][1]._replace(
            key=f"setl/trf_{self.number}",
            gateway_id=f"trf_{self.number}",
            amount=total,
            fee=sum((row.expected_fee for row in ours), Decimal(0)),
        )
        self.data.add(gateway=[line], system=ours, category=Category.MATCHED)


# How often each situation occurs (out of 1,000 payments).
MIX = [
    ("clean", 800),
    ("noisy_but_matching", 80),
    ("fee_off", 20),
    ("amount_off", 15),
    ("status_off", 10),
    ("duplicated", 15),
    ("only_at_gateway", 20),
    ("only_ours", 25),
    ("one_line_for_several", 15),
]


def labelled_data(*, payments: int, seed: int = 12) -> Labelled:
    generator = Generator(seed)
    names = [name for name, weight in MIX for _ in range(weight)]
    for _ in range(payments):
        getattr(generator, generator.random.choice(names))()
    return generator.data
