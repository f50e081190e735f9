"""Every implementation has what its interface declares, with the same parameters.

The interfaces are Protocols (structural): nothing at run time stops a class from drifting away
from the one it stands in for, and mypy checks only the places where one is assigned to the other.
This walks each Protocol's members and compares them with each implementation's.
"""

from __future__ import annotations

import inspect
from typing import Protocol

import pytest

from doctor.diagnose import CloudAnalyzer, OfflineAnalyzer, RootCauseAnalyzer
from doctor.diagnose.gemini import GeminiAnalyzer
from doctor.jobs.runner import CloudTasksRunner, InProcessRunner, JobRunner
from doctor.prescribe import CloudFixer, FixGenerator, OfflineFixer
from doctor.prescribe.bedrock import BedrockFixer
from doctor.providers import AnalyzerChain, FixerChain
from doctor.sources.base import LogSource
from doctor.sources.cloudwatch import CloudWatchSource
from doctor.sources.file import FileSource
from doctor.sources.loki import LokiSource

IMPLEMENTATIONS = [
    (RootCauseAnalyzer, OfflineAnalyzer), (RootCauseAnalyzer, GeminiAnalyzer), (RootCauseAnalyzer, AnalyzerChain),
    (CloudAnalyzer, GeminiAnalyzer),
    (FixGenerator, OfflineFixer), (FixGenerator, BedrockFixer), (FixGenerator, FixerChain),
    (CloudFixer, BedrockFixer),
    (JobRunner, InProcessRunner), (JobRunner, CloudTasksRunner),
    (LogSource, CloudWatchSource), (LogSource, LokiSource), (LogSource, FileSource),
]


def members(protocol: type) -> dict[str, object]:
    """The members a Protocol declares, its bases' included (attributes by annotation, methods by value)."""
    out: dict[str, object] = {}
    for klass in reversed(protocol.__mro__):
        if klass in (object, Protocol) or not getattr(klass, "_is_protocol", False):
            continue
        out.update({name: None for name in getattr(klass, "__annotations__", {})})
        out.update({name: value for name, value in vars(klass).items()
                    if not name.startswith("_") and (callable(value) or isinstance(value, property))})
    return out


def parameters(fn) -> list[tuple[str, inspect._ParameterKind]]:
    return [(p.name, p.kind) for p in inspect.signature(fn).parameters.values() if p.name != "self"]


def conformance_errors(protocol: type, impl: type) -> list[str]:
    errors = []
    for name, declared in members(protocol).items():
        if not hasattr(impl, name):
            if not _set_in_init(impl, name):  # an attribute may be set by __init__ only
                errors.append(f"{impl.__name__} lacks {name}")
            continue
        actual = inspect.getattr_static(impl, name, None)
        if callable(declared) and not isinstance(declared, property):
            if not callable(actual):
                errors.append(f"{impl.__name__}.{name} is not a method")
            elif parameters(declared) != parameters(actual):
                errors.append(f"{impl.__name__}.{name}{inspect.signature(actual)} != {protocol.__name__}."
                              f"{name}{inspect.signature(declared)}")
    return errors


def _set_in_init(impl: type, name: str) -> bool:
    try:
        source = inspect.getsource(impl.__init__)
    except (OSError, TypeError):
        return False
    return f"self.{name} =" in source or f"self.{name}:" in source


@pytest.mark.parametrize(("protocol", "impl"), IMPLEMENTATIONS, ids=lambda x: x.__name__)
def test_implementation_matches_its_protocol(protocol, impl):
    assert conformance_errors(protocol, impl) == []


def test_the_check_finds_a_missing_member_and_a_changed_signature():
    class Drifted:
        name = "drifted"

        def analyze(self, digest, *, extra=None):  # `context` renamed
            ...

    class Missing:
        name = "missing"

    assert conformance_errors(RootCauseAnalyzer, Drifted)[0].startswith("Drifted.analyze")
    assert conformance_errors(RootCauseAnalyzer, Missing) == ["Missing lacks analyze"]
    assert "Missing lacks model_id" in conformance_errors(CloudAnalyzer, Missing)


def test_only_cloud_providers_count_as_cloud():
    """The chains charge and cache what `isinstance(p, CloudAnalyzer | CloudFixer)` says is a cloud call."""
    assert not isinstance(OfflineAnalyzer(), CloudAnalyzer)
    assert not isinstance(OfflineFixer(), CloudFixer)
    assert isinstance(GeminiAnalyzer(project="p", location="global", model="m", offline=OfflineAnalyzer()),
                      CloudAnalyzer)
    assert isinstance(BedrockFixer(model_id="m", region="us-east-1"), CloudFixer)


def test_a_source_is_one_class_registered_in_one_place(monkeypatch, tmp_path):
    """The registry is all the rest of the doctor knows of a source: its name becomes a valid
    `--source`/`source=` value, `from_settings` decides whether it is configured, and its jobs run."""
    from doctor import sources
    from doctor.config import Settings

    class Journal(FileSource):  # a new kind of store, as a module would define it
        name = "journal"

        @classmethod
        def from_settings(cls, settings, *, named):
            return cls(tmp_path) if named else None

        def jobs(self, selector):
            return [selector, selector]

    assert conformance_errors(LogSource, Journal) == []
    monkeypatch.setattr(sources, "SOURCES", (*sources.SOURCES, Journal))
    settings = Settings(local_logs_dir=None, loki_url=None, aws_region=None)
    assert "journal" not in sources.build_sources(settings)  # not asked for by name: not configured
    built = sources.build_sources(settings, only=("journal",))
    assert list(built) == ["journal"] and isinstance(built["journal"], Journal)
    (tmp_path / "executor.log").write_text("2026-11-20T09:00:00Z ERROR boom\n")
    sels = sources.selectors(settings, ["executor"])
    assert [(s.name, sel.service) for s, sel in sources.jobs_for(built, sels)] == [("journal", "executor")] * 2
