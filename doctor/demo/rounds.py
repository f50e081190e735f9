"""The demo's rounds: the doctor finds the executor's trouble on its round, before the alert fires.

The `exchange_rate_limit` window (the executor rate limited from 09:25) is read through the file
source, a round every 10 minutes. The round at 09:20 finds every service well and stays silent;
the round at 09:30 finds the executor's new 429s and opens an incident; the alert that fires at
09:32 (Alertmanager's `ExecutorErrorRate`, 5 % errors for 5 minutes) attaches to it instead of
starting another analysis.
A store of its own (`<out>/rounds.db`) and no Slack: what would be posted is printed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from doctor.alerts.models import Alert
from doctor.alerts.service import Outcome, receive
from doctor.config import Settings
from doctor.demo.scenarios import SCENARIOS, write_window
from doctor.jobs import InProcessRunner
from doctor.jobs.spec import rounds_spec
from doctor.store import Store

SCENARIO = "exchange_rate_limit"
ROUND_TIMES = (datetime(2026, 11, 20, 9, 20, tzinfo=UTC), datetime(2026, 11, 20, 9, 30, tzinfo=UTC))
ALERT_AT = datetime(2026, 11, 20, 9, 32, tzinfo=UTC)


@dataclass
class RoundsDemo:
    rounds: dict[str, dict[str, str]] = field(default_factory=dict)  # round time (HH:MM) -> service -> status
    details: dict[str, str] = field(default_factory=dict)  # service -> what its sick round found
    alert: Outcome | None = None
    incident_id: str | None = None


def run_rounds_demo(*, out: Path, settings: Settings) -> RoundsDemo:
    logs = out / "windows" / "rounds"
    write_window(SCENARIOS[SCENARIO], logs)
    db = out / "rounds.db"
    db.unlink(missing_ok=True)
    settings = settings.model_copy(update={
        "local_logs_dir": logs, "sources": ("file",), "database_url": f"sqlite:///{db}", "slack_bot_token": None,
        "rca_provider": "offline", "fix_provider": "offline", "rounds_every_minutes": 10.0,
        "rounds_baseline_minutes": 120.0, "rounds_services": []})
    store = Store(settings.database_url)
    demo = RoundsDemo()

    async def rounds() -> None:
        runner = InProcessRunner(settings=settings, store=store)
        for at in ROUND_TIMES:
            await runner.submit(rounds_spec(at, settings=settings))
            await runner.drain()

    asyncio.run(rounds())
    for row in reversed(store.rounds_of(limit=500)):
        demo.rounds.setdefault(row["at"][11:16], {})[row["service"]] = row["status"]
        if row["status"] == "sick":
            demo.details[row["service"]] = row["detail"] or ""
            demo.incident_id = row["incident_id"]
    alert = Alert(source="alertmanager", fingerprint="6a1f0c3b2e4d5f60", name="ExecutorErrorRate", status="firing",
                  service="executor", severity="page", summary="executor error rate above 5% for 5m",
                  starts_at=datetime(2026, 11, 20, 9, 27, tzinfo=UTC))
    [demo.alert] = receive([alert], settings=settings, store=store, redact=str, now=ALERT_AT)
    return demo


def print_rounds_demo(demo: RoundsDemo) -> None:
    print("=" * 78)
    print(f"ROUNDS  The doctor's rounds find the trouble before the alert  [{SCENARIO}]")
    for at, by_service in demo.rounds.items():
        sick = [s for s, status in by_service.items() if status == "sick"]
        well = [s for s, status in by_service.items() if status != "sick"]
        print(f"  {at}Z round: {len(well)} services well" + (f" ({', '.join(well)})" if well else "")
              + ("; silent" if not sick else ""))
        for s in sick:
            print(f"    {s}: SICK, incident {demo.incident_id}: {demo.details[s].split('; not posted')[0]}")
    if demo.alert is not None:
        print(f"  {ALERT_AT:%H:%M}Z alert {demo.alert.alert.name} on {demo.alert.alert.service}: "
              f"{demo.alert.action} ({demo.alert.reason})")
