"""How often the first answer was right, per category and per provider, over the last 7, 30 and 90 days.

The first answer is the diagnosis an incident was recorded with (its category, and the provider that gave
it: offline, or gemini:<model> counted as gemini). An incident counts as judged right when more people
said right than wrong, judged wrong when more said wrong; a tie counts as judged but not right.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

from doctor.store import Store, VerdictStat

WINDOWS = (7, 30, 90)  # days


def provider_family(provider: str) -> str:
    """"gemini:gemini-3.5-flash" -> "gemini": the stats compare providers, not model versions."""
    return provider.split(":", 1)[0] or "unknown"


@dataclass
class Tally:
    diagnosed: int = 0
    judged: int = 0
    right: int = 0
    wrong: int = 0

    def add(self, stat: VerdictStat) -> None:
        self.diagnosed += stat["diagnosed"]
        self.judged += stat["judged"]
        self.right += stat["right"]
        self.wrong += stat["wrong"]

    @property
    def share(self) -> float | None:
        """Right among judged; None when nothing was judged (no figure rather than a misleading 0%)."""
        return self.right / self.judged if self.judged else None


@dataclass
class WindowStats:
    days: int
    since: datetime
    total: Tally = field(default_factory=Tally)
    by_category: dict[str, Tally] = field(default_factory=dict)
    by_provider: dict[str, Tally] = field(default_factory=dict)


def verdict_report(store: Store, *, now: datetime | None = None, windows: tuple[int, ...] = WINDOWS) -> list[WindowStats]:
    now = now or datetime.now(UTC)
    report = []
    for days in windows:
        window = WindowStats(days=days, since=now - timedelta(days=days))
        for stat in store.verdict_stats(window.since):
            window.total.add(stat)
            window.by_category.setdefault(stat["category"], Tally()).add(stat)
            window.by_provider.setdefault(provider_family(stat["provider"]), Tally()).add(stat)
        report.append(window)
    return report


def rows(report: list[WindowStats], kind: str) -> list[tuple[str, list[Tally]]]:
    """One row per category (kind="category") or provider (kind="provider") seen in any window, with its
    tally in each window (empty where it does not occur), judged ones first."""
    names: set[str] = set()
    for w in report:
        names |= set(w.by_category if kind == "category" else w.by_provider)
    out = [(name, [(w.by_category if kind == "category" else w.by_provider).get(name, Tally()) for w in report])
           for name in names]
    return sorted(out, key=lambda r: (-max(t.judged for t in r[1]), r[0]))


def to_dict(report: list[WindowStats]) -> dict:
    return {"windows": [{"days": w.days, "since": w.since.isoformat(), "total": _tally(w.total),
                         "by_category": {k: _tally(v) for k, v in sorted(w.by_category.items())},
                         "by_provider": {k: _tally(v) for k, v in sorted(w.by_provider.items())}}
                        for w in report]}


def _tally(t: Tally) -> dict:
    return asdict(t) | {"share_right": round(t.share, 4) if t.share is not None else None}


def cell(t: Tally) -> str:
    """"3/4 right (75%)", or "-" when nothing was judged; the diagnosed count follows in brackets."""
    judged = f"{t.right}/{t.judged} {t.share:.0%}" if t.share is not None else "-"
    return f"{judged} [{t.diagnosed}]"


def render_text(report: list[WindowStats]) -> str:
    """The table `doctor stats` prints."""
    width = 18
    head = f"{'':22}" + "".join(f"{'last ' + str(w.days) + ' days':>{width}}" for w in report)
    lines = ["How often the first answer was right: right/judged share [incidents diagnosed]", head,
             f"{'all':22}" + "".join(f"{cell(w.total):>{width}}" for w in report)]
    for kind in ("provider", "category"):
        found = rows(report, kind)
        lines.append(f"by {kind}" + ("" if found else ": none yet"))
        lines += [f"  {name[:20]:20}" + "".join(f"{cell(t):>{width}}" for t in tallies) for name, tallies in found]
    if not any(w.total.judged for w in report):
        lines.append("No verdict yet: they come from the ✅/❌ buttons under each diagnosis in Slack.")
    return "\n".join(lines)
