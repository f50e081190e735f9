"""The collector's market feed: a seeded random walk per symbol, or a CSV of ticks replayed."""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

START_PRICES = {"BTC-USDT": 67_000.0, "ETH-USDT": 3_400.0, "SOL-USDT": 160.0, "XRP-USDT": 0.52}


@dataclass(frozen=True)
class Tick:
    at: datetime
    symbol: str
    price: float
    volume: float


class RandomWalk:
    """Geometric random walk: deterministic for a seed, so a simulated incident is reproducible."""

    def __init__(self, symbols: tuple[str, ...], *, seed: int, volatility: float = 0.0015) -> None:
        self.rng = random.Random(seed)
        self.prices = {s: START_PRICES.get(s, 100.0) for s in symbols}
        self.volatility = volatility

    def tick(self, at: datetime) -> list[Tick]:
        out = []
        for symbol, price in self.prices.items():
            price *= math.exp(self.rng.gauss(0, self.volatility))
            self.prices[symbol] = price
            out.append(Tick(at, symbol, round(price, 6), round(self.rng.uniform(0.1, 5.0), 4)))
        return out


def replay(path: Path) -> Iterator[Tick]:
    """Ticks from a CSV with columns timestamp (ISO 8601), symbol, price, volume."""
    with path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            yield Tick(datetime.fromisoformat(row["timestamp"].replace("Z", "+00:00")), row["symbol"],
                       float(row["price"]), float(row["volume"]))
