"""The strategy: a simple moving-average crossover.

For each symbol, the fast SMA (last `fast` prices) and the slow SMA (last `slow` prices) are
compared on every tick. When the fast one crosses above the slow one the strategy wants to be
long (a buy intent); when it crosses below, flat or short (a sell intent). No crossing, no
intent. The executor decides whether an intent becomes an order (risk limits).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class Intent:
    symbol: str
    side: str  # buy or sell
    price: float  # the price that made the signal (the executor's mark)
    reason: str


class SmaCrossover:
    def __init__(self, *, fast: int = 5, slow: int = 20) -> None:
        if not 0 < fast < slow:
            raise ValueError("need 0 < fast < slow")
        self.fast, self.slow = fast, slow
        self.prices: dict[str, deque] = {}
        self.state: dict[str, int] = {}  # +1 fast above slow, -1 below

    def on_price(self, symbol: str, price: float) -> Intent | None:
        window = self.prices.setdefault(symbol, deque(maxlen=self.slow))
        window.append(price)
        if len(window) < self.slow:
            return None
        fast = sum(list(window)[-self.fast:]) / self.fast
        slow = sum(window) / self.slow
        state = 1 if fast > slow else -1 if fast < slow else 0
        previous = self.state.get(symbol)
        self.state[symbol] = state or (previous or 0)
        if previous is None or state == 0 or state == previous:
            return None
        side = "buy" if state > 0 else "sell"
        return Intent(symbol, side, price, f"sma{self.fast}={fast:.4f} {'>' if state > 0 else '<'} "
                                           f"sma{self.slow}={slow:.4f}")

    def sma(self, symbol: str) -> tuple[float | None, float | None]:
        window = list(self.prices.get(symbol, ()))
        fast = sum(window[-self.fast:]) / self.fast if len(window) >= self.fast else None
        slow = sum(window) / self.slow if len(window) >= self.slow else None
        return fast, slow
