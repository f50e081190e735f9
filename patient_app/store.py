"""The patient's store: ticks, orders and fills (SQLAlchemy; SQLite by default, PostgreSQL by URL)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Float, Integer, MetaData, String, Table, create_engine, func, insert, select

metadata = MetaData()

ticks = Table("ticks", metadata,
              Column("id", Integer, primary_key=True, autoincrement=True),
              Column("at", DateTime(timezone=True), nullable=False, index=True),
              Column("symbol", String(20), nullable=False, index=True),
              Column("price", Float, nullable=False),
              Column("volume", Float, nullable=False))

def _order_columns() -> list[Column]:
    return [Column("id", String(40), primary_key=True),
            Column("at", DateTime(timezone=True), nullable=False, index=True),
            Column("symbol", String(20), nullable=False),
            Column("side", String(4), nullable=False),
            Column("quantity", Float, nullable=False),
            Column("status", String(20), nullable=False),  # filled, rejected, failed
            Column("detail", String(300))]


orders = Table("orders", metadata, *_order_columns())

fills = Table("fills", metadata,
              Column("id", Integer, primary_key=True, autoincrement=True),
              Column("order_id", String(40), nullable=False, index=True),
              Column("at", DateTime(timezone=True), nullable=False),
              Column("symbol", String(20), nullable=False),
              Column("side", String(4), nullable=False),
              Column("quantity", Float, nullable=False),
              Column("price", Float, nullable=False))


def orders_v230() -> Table:
    """The orders table as executor 2.3.0's code expects it: with a column that only a migration
    adds. Querying it without the migration fails the way the database says it does."""
    return Table("orders", MetaData(), *_order_columns(), Column("client_order_id", String(40)))


class Store:
    def __init__(self, url: str, *, pool_size: int = 5, max_overflow: int = 10, pool_timeout: float = 30.0) -> None:
        from sqlalchemy.pool import QueuePool

        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            from pathlib import Path

            Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(url, poolclass=QueuePool, pool_size=pool_size, max_overflow=max_overflow,
                                    pool_timeout=pool_timeout, pool_pre_ping=True)
        metadata.create_all(self.engine)

    def add_ticks(self, rows: list[dict]) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(ticks), rows)

    def add_order(self, order: dict, fill: dict | None, *, table: Table = orders) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(table).values(**order))
            if fill:
                conn.execute(insert(fills).values(**fill))

    def recent_orders(self, *, limit: int = 50, table: Table = orders) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(select(table).order_by(table.c.at.desc()).limit(limit)).mappings()]

    def positions(self, *, since: datetime | None = None) -> dict[str, dict]:
        """Net quantity, average cost and realized P&L per symbol, from the fills (since a time)."""
        out: dict[str, dict] = {}
        query = select(fills).order_by(fills.c.id)
        if since is not None:
            query = query.where(fills.c.at >= since)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        for f in rows:
            p = out.setdefault(f["symbol"], {"quantity": 0.0, "cost": 0.0, "realized": 0.0})
            signed = f["quantity"] if f["side"] == "buy" else -f["quantity"]
            if p["quantity"] * signed >= 0:  # opening or adding
                p["cost"] += signed * f["price"]
                p["quantity"] += signed
            else:  # reducing: realize against the average cost
                avg = p["cost"] / p["quantity"] if p["quantity"] else f["price"]
                closed = min(abs(signed), abs(p["quantity"]))
                p["realized"] += closed * (f["price"] - avg) * (1 if p["quantity"] > 0 else -1)
                p["quantity"] += signed
                p["cost"] = avg * p["quantity"]
        return out

    def last_prices(self) -> dict[str, float]:
        with self.engine.connect() as conn:
            latest = select(ticks.c.symbol, func.max(ticks.c.id).label("id")).group_by(ticks.c.symbol).subquery()
            rows = conn.execute(select(ticks.c.symbol, ticks.c.price).join(latest, ticks.c.id == latest.c.id)).all()
        return {s: p for s, p in rows}

    def realized_today(self, now: datetime) -> float:
        midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return sum(p["realized"] for p in self.positions(since=midnight).values())
