"""Incident memory: finding the incidents close to a new one among 10,000 stored, on SQLite and PostgreSQL.

    python -m bench.memory [--incidents 10000] [--probes 500] [--postgres URL]

The incidents are drawn from the public corpus (`tests/corpus/cases/`): each case's log goes through the
real path (file source, digest, offline engine) to a diagnosis and its fingerprint; stored incidents are
occurrences of those cases with varied services, dates and evidence (an evidence template dropped or
another added, as a second occurrence of an incident often differs). Each is saved through
`Store.save_incident` with its diagnosis, and a fix where the case has one.

Measured per store: the indexed lookup (`Store.similar_incidents`, what Slack and the report page use)
against the baseline in the same run, a naive full scan (every incident's keys read and compared in
Python). Both must find the same incidents for every probe; the run fails otherwise. Target: lookup p99
under 50 ms with 10,000 incidents. PostgreSQL is a throwaway cluster from the machine's binaries
(tests/pg.py) unless `--postgres` names one; without either the output says it was not measured.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus_data import case_digest, load_cases  # noqa: E402
from doctor.diagnose import OfflineAnalyzer  # noqa: E402
from doctor.diagnose.fingerprint import SIMILARITY, Fingerprint, fingerprint, key, similarity  # noqa: E402
from doctor.store import Store  # noqa: E402
from doctor.store.db import incident_memory, incidents  # noqa: E402

SERVICES = [f"{name}-{i}" for name in ("api", "worker", "executor", "billing", "search", "gateway") for i in range(5)]


def bases() -> list[tuple[Fingerprint, dict]]:
    """(fingerprint, diagnosis JSON) of every corpus case with evidence."""
    analyzer = OfflineAnalyzer()
    out = []
    for case in load_cases():
        digest = case_digest(case)
        d = analyzer.analyze(digest)
        fp = fingerprint(d, digest)
        if not fp.empty:
            out.append((fp, d.model_dump(mode="json")))
    return out


def occurrence(base: Fingerprint, rng: random.Random) -> Fingerprint:
    """Another occurrence of `base`: its own services, an evidence template dropped or one added sometimes."""
    keys = set(base.keys)
    if len(keys) > 1 and rng.random() < 0.3:
        keys.discard(rng.choice(sorted(keys)))
    if rng.random() < 0.3:
        keys.add(key(base.category, f"noise {rng.random()}"))
    services = frozenset(rng.sample(SERVICES, rng.choice((1, 1, 2))))
    return Fingerprint(base.category, services, frozenset(keys))


FIX = {"target": {"file": "terraform/patient/rds.tf", "address": "aws_db_parameter_group.postgres",
                  "attribute": "parameter.max_connections"},
       "diff": "--- a/terraform/patient/rds.tf\n+++ b/terraform/patient/rds.tf\n@@ -5,4 +5,4 @@\n"
               "   parameter {\n     name  = \"max_connections\"\n-    value = \"100\"\n+    value = \"200\"\n   }\n",
       "rationale": "Raise max_connections from 100 to 200.", "valid": True, "checks": [], "provider": "offline"}


def fill(store: Store, n: int, base_list, rng: random.Random) -> float:
    start = time.perf_counter()
    now = datetime(2026, 12, 1, tzinfo=UTC)
    for _ in range(n):
        fp, diagnosis = rng.choice(base_list)
        occ = occurrence(fp, rng)
        store.save_incident(title=diagnosis["summary"][:200], category=fp.category, diagnosis=diagnosis,
                            fix=FIX if diagnosis.get("fix_hint") else None, digest={"lines_in": rng.randrange(10**6)},
                            memory=occ, created_at=now - timedelta(minutes=rng.randrange(90 * 24 * 60)))
    return time.perf_counter() - start


def full_scan(store: Store, probe: Fingerprint, threshold: float) -> list[str]:
    """The baseline: every incident's keys and services read, the similarity computed in Python."""
    keys: dict[str, set[str]] = defaultdict(set)
    with store.engine.connect() as conn:
        for incident_id, k in conn.execute(incident_memory.select().with_only_columns(
                incident_memory.c.incident_id, incident_memory.c.key)):
            keys[incident_id].add(k)
        rows = conn.execute(incidents.select().with_only_columns(
            incidents.c.id, incidents.c.created_at, incidents.c.category, incidents.c.services)).all()
    found = []
    for incident_id, created_at, category, services in rows:
        if incident_id not in keys:
            continue
        fp = Fingerprint(category, frozenset(json.loads(services or "[]")), frozenset(keys[incident_id]))
        if similarity(probe, fp) >= threshold:
            found.append((created_at, incident_id))
    return [i for _, i in sorted(found, reverse=True)]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(name: str, store: Store, *, n: int, probes: int, scans: int, base_list, seed: int) -> list[str]:
    rng = random.Random(seed)
    took = fill(store, n, base_list, rng)
    probe_list = [occurrence(rng.choice(base_list)[0], rng) for _ in range(probes)]
    store.similar_incidents(probe_list[0], threshold=SIMILARITY)  # warm the connection pool and caches
    lookup, matches = [], []
    for probe in probe_list:
        t = time.perf_counter()
        found = store.similar_incidents(probe, threshold=SIMILARITY)
        lookup.append((time.perf_counter() - t) * 1000)
        matches.append(len(found))
    # The floor on this machine: one round trip to the store (Store.ping: a connection checked out, SELECT 1).
    ping = []
    for _ in range(probes):
        t = time.perf_counter()
        store.ping()
        ping.append((time.perf_counter() - t) * 1000)
    scan = []
    for probe in probe_list[:scans]:
        t = time.perf_counter()
        want = full_scan(store, probe, SIMILARITY)
        scan.append((time.perf_counter() - t) * 1000)
        got = [s["id"] for s in store.similar_incidents(probe, threshold=SIMILARITY, limit=10**6)]
        if got != want:
            raise SystemExit(f"{name}: the indexed lookup and the full scan disagree ({len(got)} vs {len(want)})")
    with store.engine.connect() as conn:
        rows = conn.execute(incident_memory.select().with_only_columns(incident_memory.c.key)).all()
    print(f"{name}: {n:,} incidents ({len(rows):,} memory rows) stored in {took:.1f} s; "
          f"{probes} lookups, {statistics.mean(matches):.0f} similar incidents found on average "
          f"(max {max(matches)}); index and full scan agree on {scans} probes")
    return [f"| {name} | indexed lookup | {percentile(lookup, 50):.1f} ms | {percentile(lookup, 99):.1f} ms | "
            f"{max(lookup):.1f} ms |",
            f"| {name} | one round trip (`SELECT 1`, for scale) | {percentile(ping, 50):.1f} ms | "
            f"{percentile(ping, 99):.1f} ms | {max(ping):.1f} ms |",
            f"| {name} | full scan (baseline) | {percentile(scan, 50):.1f} ms | {percentile(scan, 99):.1f} ms | "
            f"{max(scan):.1f} ms |"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--incidents", type=int, default=10_000)
    ap.add_argument("--probes", type=int, default=500)
    ap.add_argument("--scans", type=int, default=30, help="probes also answered by the full scan (slow)")
    ap.add_argument("--postgres", help="a PostgreSQL URL to use (its tables are emptied first)")
    args = ap.parse_args(argv)

    base_list = bases()
    cats = len({fp.category for fp, _ in base_list})
    print(f"{len(base_list)} corpus cases with evidence ({cats} categories) are the incidents' templates; "
          f"threshold {SIMILARITY}")
    table = ["| store | method | p50 | p99 | max |", "|---|---|---:|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        table += measure("SQLite", Store(f"sqlite:///{Path(tmp) / 'memory.db'}"), n=args.incidents,
                         probes=args.probes, scans=args.scans, base_list=base_list, seed=1)
    with ExitStack() as stack:
        url = args.postgres
        if url is None and (shutil.which("initdb") or Path("/usr/lib/postgresql/15/bin/initdb").exists()):
            from tests.pg import throwaway_postgres

            url = stack.enter_context(throwaway_postgres())
        if url is None:
            print("PostgreSQL: not measured (no initdb on this machine and no --postgres URL)")
        else:
            store = Store(url)
            with store.engine.begin() as conn:
                for table_ in (incident_memory, incidents):
                    conn.execute(table_.delete())
            table += measure("PostgreSQL", store, n=args.incidents, probes=args.probes, scans=args.scans,
                             base_list=base_list, seed=1)
    print()
    print("\n".join(table))
    print("\nTarget: the indexed lookup's p99 under 50 ms with 10,000 incidents.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
