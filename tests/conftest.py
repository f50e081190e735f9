from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from doctor.models import LogRecord

REPO = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def rec(message: str, *, minute: float = 0, service: str = "executor", level: str | None = None) -> LogRecord:
    return LogRecord(timestamp=T0 + timedelta(minutes=minute), source="file", message=message,
                     labels={"service": service}, level=level)


@pytest.fixture
def tf_copy(tmp_path: Path) -> Path:
    """A private copy of the repository's terraform/ tree (fixes are never made in place)."""
    dest = tmp_path / "repo" / "terraform"
    shutil.copytree(REPO / "terraform", dest)
    return dest
