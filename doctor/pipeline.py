"""One diagnosis run: records -> digest -> root cause -> Terraform fix.

Kept free of HTTP and of any provider's SDK: the CLI and the Slack jobs build a
digest (`build`, `build_from_files`, `fetch_digest`) and call `diagnose` on it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from doctor.config import Settings
from doctor.deploys import deploys_for, regression_note, suspect_deploy
from doctor.diagnose import AnalysisContext, OfflineAnalyzer, RootCauseAnalyzer
from doctor.diagnose.catalog import load_catalog
from doctor.diagnose.fingerprint import Fingerprint, fingerprint
from doctor.digest import Digest, DigestBuilder, Redactor
from doctor.digest.redact import key_from_secret
from doctor.models import Coverage, Diagnosis, Fix, LogRecord
from doctor.observe import stage
from doctor.prescribe import FixGenerator, NoFix, TerraformRepo
from doctor.prescribe.applied import fix_applied
from doctor.providers import make_fixer, make_providers
from doctor.sources import build_sources, how_to_configure, jobs_for, platform_note, selectors
from doctor.sources.base import FetchReport, Limits, Window
from doctor.sources.budget import limits_for, sharing
from doctor.sources.collect import collect, collect_in_processes, fetch_processes, fetch_workers, notes_from
from doctor.sources.parallel import digest_files
from doctor.sources.plan import merge_spans, minute_weights
from doctor.store import Seen, open_store

if TYPE_CHECKING:
    from doctor.store import Store


def redactor_for(settings: Settings) -> Redactor:
    key = key_from_secret(settings.redaction_key.get_secret_value() if settings.redaction_key else None)
    return Redactor(extra=tuple(settings.redact_extra), key=key)


@dataclass
class Result:
    digest: Digest
    diagnosis: Diagnosis
    fix: Fix | None
    fix_note: str | None = None  # why there is no fix, when there is none
    # Incident memory: earlier incidents close to this one, newest first (set when it is saved).
    history: list[Seen] = field(default_factory=list)

    def to_dict(self, *, budget_tokens: int) -> dict:
        return {
            **self.diagnosis.model_dump(mode="json"),
            "fix": self.fix.model_dump(mode="json") | {"valid": self.fix.valid} if self.fix else None,
            "fix_note": self.fix_note,
            "digest": self.digest.stats() | {"rendered_tokens_budget": budget_tokens},
            # Incident memory: the close incidents, with their fix's target (the whole fix is in the store).
            "seen_before": [{k: v for k, v in s.items() if k != "fix"}
                            | {"fix_target": (s["fix"] or {}).get("target")} for s in self.history],
        }


def build_from_files(
    paths: list[Path],
    *,
    settings: Settings,
    incident_start: datetime | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Digest:
    """The digest of log files, read on every core when they are large."""
    return digest_files(
        paths, redactor=redactor_for(settings), workers=settings.digest_workers,
        since=since, until=until, incident_start=incident_start, max_line_chars=settings.max_line_chars,
    )


async def fetch_digest(
    *,
    settings: Settings,
    services: list[str],
    window: Window,
    source_names: tuple[str, ...] | None = None,
    query: str | None = None,
    insights_query: str | None = None,
    incident_start: datetime | None = None,
    limits: Limits | None = None,
    isolate: bool = False,
    full: bool = False,
    silence_until: datetime | None = None,
) -> tuple[Digest, list[FetchReport]]:
    """Pull every configured source for `services` at once, newest minutes first, and digest what arrives.

    A source that fails, times out or hits a cap does not stop the diagnosis: the digest's notes
    and coverage say exactly what was read and what is missing. Without `limits`, the budget is
    the analysis's share of the instance (`doctor.sources.budget`); `full` (a "Read the rest"
    job) gets most of the job deadline. `isolate` (the service) keeps parsing out of this process
    even for one job: it runs in the kept fetch processes. `silence_until` (a round: the window's end)
    flags a steady stream that stopped before it, even when every stream read stopped."""
    unknown = [s for s in services if s not in settings.services]
    if unknown:
        known = ", ".join(sorted(settings.services))
        raise ValueError(f"unknown service(s) {', '.join(unknown)}; the service map knows: {known}")
    sources = build_sources(settings, only=source_names)
    if not sources:
        raise ValueError(f"no log source is configured: {how_to_configure()}")
    builder = DigestBuilder(redactor=redactor_for(settings), incident_start=incident_start,
                            max_line_chars=settings.max_line_chars, silence_until=silence_until)
    sels = selectors(settings, services, query=query, insights_query=insights_query)
    jobs = jobs_for(sources, sels)
    workers = fetch_workers(settings.fetch_workers, len(jobs))

    # The fetch runs in other processes: this one is idle meanwhile, and can load what the diagnosis needs.
    warm = asyncio.create_task(asyncio.to_thread(warm_diagnosis, settings)) if isolate or workers > 1 else None
    with sharing() as running, stage("fetch"):
        limits = limits or limits_for(settings, jobs=len(jobs), running=running, full=full)
        reports = await _collect(settings, jobs, window, limits, builder, workers, isolate, incident_start)
    if warm is not None:
        await warm
    for sel in sels:
        if not sel.platform_for and not any(j[1].service == sel.service for j in jobs):
            reports.append(FetchReport(source="none", service=sel.service, outcome="skipped",
                                       detail=f"no source in {', '.join(sources)} has logs mapped for {sel.service}"))
    note = platform_note(sels, {j[1].service for j in jobs if j[1].platform_for})
    builder.notes.extend(([note] if note else []) + notes_from(reports))
    _note_coverage(builder, [r for r in reports if r.window is not None])
    with stage("digest"):
        digest = builder.build()
    digest.coverage = [coverage_of(r).model_dump() for r in reports if r.window is not None]
    return digest, reports


# --- Warm the diagnosis while the fetch runs (issue #17) ---
_warming = threading.Lock()


def warm_diagnosis(settings: Settings) -> None:
    """Load and parse what a diagnosis reads on first use, each kept once loaded: the signature catalog
    and the Terraform tree's HCL. On a cold instance (Cloud Run scales to zero) that is several seconds
    of the one core, which the answer otherwise spends after the fetch, twice over when two analyses
    start together (a cache does not stop two threads filling it at once; this lock does)."""
    with _warming:
        load_catalog(settings.signatures_file)
        try:
            TerraformRepo(Path(settings.terraform_dir))
        except (OSError, ValueError):  # no tree, or one that does not parse: propose_fix says so itself
            pass


def coverage_of(report: FetchReport):
    return Coverage(source=report.source, service=report.service, target=report.target, outcome=report.outcome,
                    lines=report.lines, fraction=round(report.coverage, 4), unread=report.unread())


def _note_coverage(builder: DigestBuilder, reports: list[FetchReport]) -> None:
    """Tell the digest which minutes were read per service when some job read only part of its window,
    so rates per template are per minute read."""
    if not reports or all(r.coverage >= 1.0 for r in reports):
        return
    spans: dict[str, list] = {}
    for r in reports:  # a service read by several sources: the union of what they read
        spans.setdefault(r.service, []).extend(r.spans)
    window = reports[0].window
    assert window is not None  # the caller passes only reports that have one
    builder.read_minutes = {s: minute_weights(merge_spans(v), window) for s, v in spans.items()}


async def _collect(settings: Settings, jobs, window: Window, limits: Limits, builder: DigestBuilder,
                   workers: int, isolate: bool, focus: datetime | None = None) -> list[FetchReport]:
    if isolate:  # room for every running analysis's widest fetch
        kept = fetch_processes(settings.job_concurrency * fetch_workers(settings.fetch_workers, 1 << 16))
        tallies, reports = await asyncio.to_thread(kept.run, settings, jobs, window, limits,
                                                   redactor_key=builder.redactor.key, workers=workers, focus=focus)
    elif workers > 1:
        tallies, reports = await asyncio.to_thread(collect_in_processes, settings, jobs, window, limits,
                                                   redactor_key=builder.redactor.key, workers=workers, focus=focus)
    else:
        return await collect(jobs, window, limits, builder.add, focus)
    for tally in tallies:
        builder.merge(tally)
    return reports


def build(
    records: Iterable[LogRecord],
    *,
    settings: Settings,
    incident_start: datetime | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Digest:
    builder = DigestBuilder(
        redactor=redactor_for(settings),
        incident_start=incident_start,
        since=since,
        until=until,
        max_line_chars=settings.max_line_chars,
    )
    return builder.add_many(records).build()


def run_diagnosis(
    records: Iterable[LogRecord],
    *,
    settings: Settings,
    analyzer: RootCauseAnalyzer | None = None,
    fixer: FixGenerator | None = None,
    incident_start: datetime | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    context: AnalysisContext | None = None,
) -> Result:
    digest = build(records, settings=settings, incident_start=incident_start, since=since, until=until)
    return diagnose(digest, settings=settings, analyzer=analyzer, fixer=fixer, context=context)


def diagnose(
    digest: Digest,
    *,
    settings: Settings,
    analyzer: RootCauseAnalyzer | None = None,
    fixer: FixGenerator | None = None,
    context: AnalysisContext | None = None,
) -> Result:
    """Root cause and Terraform fix for a digest already built."""
    if analyzer is None or fixer is None:
        default_analyzer, default_fixer = make_providers(settings)
        analyzer, fixer = analyzer or default_analyzer, fixer or default_fixer

    context = context or AnalysisContext()
    with stage("diagnose"):
        diagnosis = analyzer.analyze(digest, context=context)
    # Deploys are facts we hold, not the provider's to restate: attached whatever answered.
    diagnosis.deploys = list(context.deploys)
    if context.deploy_regression and context.deploy_regression not in diagnosis.notes:
        diagnosis.notes.insert(0, context.deploy_regression)
    _state_coverage(diagnosis, digest)
    with stage("fix"):
        fix, note = propose_fix(diagnosis, settings=settings, fixer=fixer)
    return Result(digest=digest, diagnosis=diagnosis, fix=fix, fix_note=note)


def _state_coverage(diagnosis: Diagnosis, digest: Digest) -> None:
    """Attach what was read; an all-clear over an incomplete read is never the headline (whichever
    provider answered): it says how much was read and what was not."""
    diagnosis.coverage = [Coverage(**c) for c in digest.coverage]
    if digest.complete or not diagnosis.coverage or not diagnosis.all_clear:
        return
    read = sum(c.fraction for c in diagnosis.coverage) / len(diagnosis.coverage)
    missing = [c for c in diagnosis.coverage if c.fraction < 1.0]
    diagnosis.summary = (f"Incomplete read: only {read:.0%} of the window was read, and nothing in it "
                         f"points at a failure")
    diagnosis.root_cause = (f"No errors in the {digest.lines_in:,} lines read, but {len(missing)} of "
                            f"{len(diagnosis.coverage)} sources stopped before reading their whole window (the "
                            "oldest minutes are the ones missing). This is not an all-clear.")
    diagnosis.confidence = min(diagnosis.confidence, 0.2)
    diagnosis.next_steps.insert(0, "Read the rest of the window (the button below, or a shorter window) before "
                                   "concluding there is no problem.")


def errors_start(digest: Digest) -> datetime | None:
    """When the errors began: the first error new in the incident window, else the window's start,
    else the first error at all."""
    errors = [t for t in digest.errors() if t.first_seen is not None]
    new = [t.first_seen for t in errors if t.new and t.first_seen is not None]
    if new:
        return min(new)
    if digest.incident_start is not None:
        return digest.incident_start
    return min((t.first_seen for t in errors if t.first_seen is not None), default=None)


def context_for(digest: Digest, *, settings: Settings, store: Store | None, services: list[str], alert: str | None = None,
                start: datetime | None = None, end: datetime | None = None) -> AnalysisContext:
    """What a provider is told besides the digest: the alert, and the deploys of these services in
    and shortly before the window, with the one the errors followed, if any."""

    services = sorted(set(services) | {s for t in digest.templates for s in t.services if s in settings.services})
    start = start or digest.window_start
    end = end or digest.window_end or datetime.now(UTC)
    deploys = []
    if store is not None and start is not None:
        deploys = deploys_for(store=store, services=services, start=start, end=end,
                              lookback=timedelta(minutes=settings.deploy_lookback_minutes))
    began = errors_start(digest)
    suspect = suspect_deploy(deploys, errors_start=began,
                             within=timedelta(minutes=settings.deploy_regression_minutes))
    return AnalysisContext(
        services=tuple(services), alert=alert, deploys=tuple(d.line() for d in deploys),
        deploy_regression=regression_note(suspect, errors_start=began) if suspect and began else None)


def save_incident(result: Result, *, settings: Settings, channel: str | None = None, store: Store | None = None) -> str:
    """Record a diagnosis run in the store; returns the incident's (unguessable) id. The earlier
    incidents close to it are looked up first and left in `result.history`."""
    d = result.diagnosis
    store = store or open_store(settings)
    memory = fingerprint(d, result.digest)
    result.history = recall(memory, settings=settings, store=store)
    return store.save_incident(
        title=d.summary, category=d.category, diagnosis=d.model_dump(mode="json"),
        fix=result.fix.model_dump(mode="json") | {"valid": result.fix.valid} if result.fix else None,
        digest=incident_digest(result.digest), channel=channel, memory=None if memory.empty else memory)


# Incident memory: what the store found close to a fingerprint, with whether each fix is in the tree now.

def recall(memory: Fingerprint, *, settings: Settings, store: Store, exclude: str | None = None) -> list[Seen]:
    """Incidents close to `memory` (DOCTOR_MEMORY_SIMILARITY), newest first, each with whether the
    Terraform tree now holds the fix proposed for it."""
    if memory.empty:
        return []
    seen = store.similar_incidents(memory, threshold=settings.memory_similarity, exclude=exclude)
    root = Path(settings.terraform_dir).resolve().parent  # a fix's file is relative to the repository root
    known: dict[str, str] = {}  # the same fix recurs: each is checked against the tree once
    for s in seen:
        diff = str((s["fix"] or {}).get("diff"))
        if diff not in known:
            known[diff] = fix_applied(s["fix"], root=root)
        s["applied"] = known[diff]
    return seen


def history_of(incident_id: str, *, settings: Settings, store: Store) -> list[Seen]:
    """A stored incident's similar incidents, before and after it (the report page's History)."""
    memory = store.memory_of(incident_id)
    return recall(memory, settings=settings, store=store, exclude=incident_id) if memory else []


def incident_digest(digest: Digest, *, top: int = 15) -> dict:
    """What the report page shows of a digest: its statistics, the most diagnostic templates
    (already redacted) and the error rate per minute."""
    return digest.stats() | {
        "top_templates": [{"id": t.id, "level": t.level, "count": t.count, "in_window": t.count_in_window,
                           "new": t.new, "bursting": t.bursting, "services": sorted(t.services), "text": t.text,
                           "stopped": t.stopped.strftime("%H:%M") if t.stopped else None}
                          for t in digest.ranked()[:top]],
        "timeline": [[minute.isoformat(), lines, errors] for minute, lines, errors in digest.error_timeline],
    }


def diagnosis_from_text(text: str, *, settings: Settings) -> Diagnosis:
    """A problem described in words (`/terraform the executor keeps getting OOM-killed`): the offline
    engine reads the words as one log line of the services they name."""
    services = [s for s in settings.services if s in text] or ["unknown"]
    now = datetime.now(UTC)
    digest = build([LogRecord(now, "file", text, {"service": services[0]}, "ERROR")], settings=settings)
    return OfflineAnalyzer(extra_signatures=settings.signatures_file).analyze(digest)


def propose_fix(diagnosis: Diagnosis, *, settings: Settings, fixer: FixGenerator | None = None) -> tuple[Fix | None, str | None]:
    if not diagnosis.fix_hint:
        return None, None
    tf_dir = Path(settings.terraform_dir)
    try:
        repo = TerraformRepo(tf_dir)
    except FileNotFoundError:
        return None, f"no Terraform tree at {tf_dir} (set DOCTOR_TERRAFORM_DIR)"
    if fixer is None:
        fixer = make_fixer(settings)
    try:
        return fixer.propose(diagnosis, repo=repo), None
    except NoFix as exc:
        return None, str(exc)
