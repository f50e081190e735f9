"""The trading stack's components, one step at a time: collector, strategy, executor.

`Stack.step()` runs one cycle (every PATIENT_TICK_SECONDS): the collector writes a tick per
symbol, the strategy reads the latest prices and emits intents, the executor turns intents
into orders within its risk limits. `Faults` holds what chaos has broken; every failure is
whatever the real library raises, logged as `<what failed> | <exception type>: <message>`.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field

from patient_app.clock import Clock
from patient_app.config import COMPONENTS, PatientSettings
from patient_app.exchange import ExchangeClient
from patient_app.keys import ApiKeyProvider
from patient_app.market import RandomWalk, replay
from patient_app.store import Store, orders
from patient_app.strategy import Intent, SmaCrossover

ENTRY_BYTES = 1200  # what one cached order-book entry costs (for the cache's size in MiB)


def failure(exc: BaseException) -> str:
    module = type(exc).__module__
    return f"{'' if module == 'builtins' else module + '.'}{type(exc).__qualname__}: {exc}"


@dataclass
class Faults:
    held_connections: list = field(default_factory=list)  # pool exhaustion: connections chaos holds
    poll_burst: int = 0  # rate limit: account polls per step (a polling loop gone wrong)
    redis_url: str | None = None  # Redis: where the collector publishes (an unreachable node in chaos)
    leak_per_step: int = 0  # memory leak: order-book entries never evicted per step
    strategy_version: str | None = None  # bad deploy: the version the strategy restarts as
    orders_table: object = None  # missing column: the table shape the new executor expects
    archive_path: str | None = None  # disk full: where the collector archives ticks (/dev/full in chaos)
    keys_denied: bool = False  # IAM: the key was rotated and the task role may not read the new one


class Stack:
    def __init__(self, settings: PatientSettings, *, clock: Clock | None = None, exchange_url: str,
                 keys: ApiKeyProvider | None = None, on_oom=None, routes: dict | None = None,
                 real_memory: bool = False) -> None:
        self.settings, self.clock = settings, clock or Clock()
        self.store = Store(settings.database_url, pool_size=settings.db_pool_size,
                           max_overflow=settings.db_max_overflow, pool_timeout=settings.db_pool_timeout)
        self.market = RandomWalk(settings.symbols, seed=settings.seed)
        self.replay = replay(settings.replay_csv) if settings.replay_csv else None
        self.strategy = SmaCrossover(fast=settings.fast_window, slow=settings.slow_window)
        self.keys = keys or ApiKeyProvider(settings)
        self.exchange = ExchangeClient(exchange_url, api_key=self.keys.key(), timeout=settings.exchange_timeout,
                                       routes=routes if routes is not None else {})
        self.rng = random.Random(f"orders:{settings.seed}")  # order ids: reproducible in a simulation
        self.faults = Faults()
        self.running = dict.fromkeys(COMPONENTS, True)
        self.pending: list[Intent] = []
        self.book_cache = 0  # entries
        # In a running patient the leaked entries are real memory; a simulation only counts them.
        self.real_memory = real_memory
        self._leaked: list[bytearray] = []
        self.step_no = 0
        self.on_oom = on_oom  # the platform's part: what happens when the container passes its limit
        self.memory_limit_mib = settings.memory_limit_mib
        self.log = {c: logging.getLogger(f"patient.{c}") for c in COMPONENTS}

    # -- one cycle ---------------------------------------------------------------------------------

    def step(self) -> None:
        self.step_no += 1
        if self.running["collector"]:
            self.collect()
        if self.faults.strategy_version:
            self.restart_strategy()
        elif self.running["strategy"]:
            self.think()
        if self.running["executor"]:
            self.execute()

    def collect(self) -> None:
        log = self.log["collector"]
        now = self.clock.now()
        ticks = self.market.tick(now) if self.replay is None else [next(self.replay)]
        for t in ticks:
            log.info("tick %s price=%s volume=%s seq=%d", t.symbol, t.price, t.volume, self.step_no,
                     extra={"symbol": t.symbol})
        try:
            self.store.add_ticks([{"at": t.at, "symbol": t.symbol, "price": t.price, "volume": t.volume} for t in ticks])
        except Exception as exc:
            log.error("could not store %d ticks | %s", len(ticks), failure(exc))
        if self.faults.archive_path or self.step_no % 12 == 0:
            self._archive(ticks)
        redis_url = self.faults.redis_url or self.settings.redis_url
        if redis_url:
            self._publish(redis_url, ticks)

    def _archive(self, ticks) -> None:
        path = self.faults.archive_path or str(self.settings.archive_dir / f"ticks-{self.clock.now():%Y%m%d}.csv")
        try:
            if not self.faults.archive_path:
                self.settings.archive_dir.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8") as fh:
                fh.writelines(f"{t.at.isoformat()},{t.symbol},{t.price},{t.volume}\n" for t in ticks)
        except OSError as exc:
            self.log["collector"].error("could not archive ticks to %s | %s", path, failure(exc))

    def _publish(self, url: str, ticks) -> None:
        import redis

        try:
            client = redis.Redis.from_url(url, socket_connect_timeout=0.2, socket_timeout=0.2)
            client.publish("ticks", ",".join(f"{t.symbol}:{t.price}" for t in ticks))
        except redis.RedisError as exc:
            for component in ("collector", "strategy"):  # the strategy subscribes to the same node
                self.log[component].error("tick stream unavailable | %s", failure(exc))

    def think(self) -> None:
        log = self.log["strategy"]
        try:
            prices = self.store.last_prices()
        except Exception as exc:
            log.error("could not read latest prices | %s", failure(exc))
            return
        for symbol, price in sorted(prices.items()):
            intent = self.strategy.on_price(symbol, price)
            fast, slow = self.strategy.sma(symbol)
            if self.step_no % 4 == 0 and slow is not None:
                log.info("signal computed for %s fast=%.4f slow=%.4f", symbol, fast, slow, extra={"symbol": symbol})
            if intent:
                log.info("intent %s %s at %s (%s)", intent.side, symbol, price, intent.reason, extra={"symbol": symbol})
                self.pending.append(intent)

    def restart_strategy(self) -> None:
        """A new strategy version starting: its settings are validated first (pydantic's own error)."""
        from pydantic import BaseModel, ValidationError

        class StrategySettings(BaseModel):
            version: str
            fast_window: int
            slow_window: int
            rsi_period: int  # required since 1.8.0; the task definition does not set it

        if self.step_no % 3:
            return  # the orchestrator restarts it every few seconds
        try:
            StrategySettings.model_validate({"version": self.faults.strategy_version,
                                             "fast_window": self.settings.fast_window,
                                             "slow_window": self.settings.slow_window})
        except ValidationError as exc:
            self.log["strategy"].error("Application startup failed | %s", failure(exc))

    def execute(self) -> None:
        log = self.log["executor"]
        if self.faults.leak_per_step:
            self._leak()
        polls = self.faults.poll_burst or (1 if self.step_no % 6 == 0 else 0)
        for _ in range(polls):
            try:
                self.exchange.account()
            except Exception as exc:
                log.error("account poll failed | %s", failure(exc))
        intents, self.pending = self.pending, []
        for intent in intents:
            self.place(intent)

    def _leak(self) -> None:
        self.book_cache += self.faults.leak_per_step
        if self.real_memory:
            self._leaked.append(bytearray(self.faults.leak_per_step * ENTRY_BYTES))
        mib = self.book_cache * ENTRY_BYTES / 2**20
        if mib > 0.7 * self.memory_limit_mib:
            self.log["executor"].warning("order book cache holds %d entries (%.0f MiB)", self.book_cache, mib)
        if mib > self.memory_limit_mib:
            self.book_cache, self._leaked = 0, []
            if self.on_oom:
                self.on_oom("executor")
            self.log["executor"].info("executor %s starting", self.settings.version)

    def position(self, symbol: str) -> float:
        return self.store.positions().get(symbol, {}).get("quantity", 0.0)

    def place(self, intent: Intent) -> None:
        log = self.log["executor"]
        order_id = f"ord-{self.rng.getrandbits(40):010x}"
        extra = {"symbol": intent.symbol, "order_id": order_id, "side": intent.side}
        qty = self.settings.order_quantity
        try:
            position = self.position(intent.symbol)
            daily = self.store.realized_today(self.clock.now())
        except Exception as exc:
            log.error("risk check could not read positions | %s", failure(exc), extra=extra)
            return
        after = position + (qty if intent.side == "buy" else -qty)
        if abs(after) > self.settings.max_position + 1e-9:
            log.info("risk rejected %s: position=%.4f limit=%.4f", order_id, after, self.settings.max_position,
                     extra=extra)
            return
        if daily < -self.settings.max_daily_loss:
            log.warning("risk rejected %s: daily_pnl=%.2f below -%.2f", order_id, daily, self.settings.max_daily_loss,
                        extra=extra)
            return
        log.info("risk check ok position=%.4f limit=%.4f daily_pnl=%.2f", after, self.settings.max_position, daily,
                 extra=extra)
        if self.faults.keys_denied:
            try:
                self.exchange.api_key = self.keys.refresh()
            except Exception as exc:
                log.error("could not read the exchange API key | %s", failure(exc), extra=extra)
                return
        try:
            answer = self.exchange.order(symbol=intent.symbol, side=intent.side, quantity=qty, price=intent.price,
                                         client_order_id=order_id)
        except Exception as exc:
            log.error("order %s failed | %s", order_id, failure(exc), extra=extra)
            self._record(order_id, intent, qty, "failed", str(exc)[:300], None)
            return
        price = float(answer["fills"][0]["price"])
        log.info("order %s filled %s %s %s at %s", order_id, intent.side, qty, intent.symbol, price, extra=extra)
        self._record(order_id, intent, qty, "filled", None, price)

    def _record(self, order_id: str, intent: Intent, qty: float, status: str, detail, price) -> None:
        now = self.clock.now()
        order = {"id": order_id, "at": now, "symbol": intent.symbol, "side": intent.side, "quantity": qty,
                 "status": status, "detail": detail}
        fill = {"order_id": order_id, "at": now, "symbol": intent.symbol, "side": intent.side, "quantity": qty,
                "price": price} if price is not None else None
        try:
            table = orders if self.faults.orders_table is None else self.faults.orders_table
            if table is not orders:
                self.store.recent_orders(limit=1, table=table)  # the new version reads its own shape first
            self.store.add_order(order, fill)
        except Exception as exc:
            self.log["executor"].error("could not record order %s | %s", order_id, failure(exc),
                                       extra={"order_id": order_id, "symbol": intent.symbol})
