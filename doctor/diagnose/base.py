"""The one interface every root-cause provider implements (offline engine, Gemini)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from doctor.digest import Digest
from doctor.models import Diagnosis


@dataclass(frozen=True)
class AnalysisContext:
    """What a provider may know besides the digest."""

    services: tuple[str, ...] = ()
    alert: str | None = None  # the alert that triggered the run, as one line
    deploys: tuple[str, ...] = ()  # recent deploys of these services, one line each, newest first
    # Set when the errors began shortly after one of those deploys: the sentence that says so.
    deploy_regression: str | None = None
    notes: tuple[str, ...] = field(default=())  # gaps: "Loki timed out after 20 s"


class RootCauseAnalyzer(Protocol):
    name: str

    def analyze(self, digest: Digest, *, context: AnalysisContext | None = None) -> Diagnosis: ...


@runtime_checkable
class CloudAnalyzer(RootCauseAnalyzer, Protocol):
    """A RootCauseAnalyzer that asks a model: its answers are cached under (model, prompt version,
    prompt) and charged to the daily budget, so the chain needs all three."""

    @property
    def model_id(self) -> str: ...

    @property
    def prompt_version(self) -> str: ...

    def prompt(self, digest: Digest, context: AnalysisContext) -> str: ...
