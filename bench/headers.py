"""How well the doctor reads the headers of software nobody configured it for.

`tests/corpus/formats/lines.yaml` holds one real line from each piece of software it names (the README gives the
count), with its timestamp, level and message marked by hand. Each line goes through the real path (a log file read
by the file source, the header splitter the template miner uses), and this prints, for the readable half (which
parsing rules are written from) and the held-out half (which only this script reads), how many lines got the right time
(to the second, in UTC), the right level and the right message (whitespace aside).

    .venv/bin/python -m bench.headers [--misses]     (--misses lists the readable half's misses)
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from bench.corpus_data import split_halves
from doctor.digest.header import split_header
from doctor.sources.file import read_file

LINES = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "formats" / "lines.yaml"
# The marks take 2026 for a line without a year and 2026-12-03 for a time of day alone: read them so.
REFERENCE = datetime(2026, 12, 3, 23, 59, tzinfo=UTC)


def load_lines(path: Path = LINES) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["lines"]


def expected_time(row: dict) -> datetime | None:
    if row["timestamp"] is None:
        return None
    when = datetime.strptime(row["when"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    zone = row.get("zone")
    if zone:
        sign = -1 if zone[0] == "-" else 1
        when -= sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
    return when


def read_time(line: str) -> datetime | None:
    """The time the file source gives the line's record (None for the epoch it gives a line without one)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.log"
        path.write_text(line + "\n", encoding="utf-8")
        ts = next(iter(read_file(path, reference=REFERENCE))).timestamp
    return None if ts.year == 1970 else ts.replace(microsecond=0)


def judge(row: dict) -> tuple[bool, bool, bool]:
    """(time right, level right, message right) for one marked line."""
    want = expected_time(row)
    got = read_time(row["line"])
    # A date without a year later than the reference is last year's (the reader's rule); the marks say 2026.
    time_ok = got == want or (want is not None and got == want.replace(year=want.year - 1))
    parsed = split_header(row["line"])
    level_ok = (parsed.level or None) == (row["level"] or None)
    message_ok = " ".join(parsed.message.split()) == " ".join(str(row["message"]).split())
    return time_ok, level_ok, message_ok


def figures(rows: list[dict]) -> dict[str, tuple[list[dict], list[tuple[bool, bool, bool]]]]:
    """Per half of the split: its lines and each one's (time right, level right, message right)."""
    return {half: (mine, [judge(r) for r in mine]) for half, mine in split_halves(rows, "software").items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--misses", action="store_true", help="list the readable half's misses")
    args = ap.parse_args(argv)
    for half, (mine, marks) in figures(load_lines()).items():
        t, lv, m = (sum(x[k] for x in marks) for k in range(3))
        print(f"{half}: {len(mine)} lines; time {t}, level {lv}, message {m}")
        if args.misses and half == "readable":
            for r, (a, b, c) in zip(mine, marks):
                if not (a and b and c):
                    print(f"  {'-T'[not a]}{'-L'[not b]}{'-M'[not c]} {r['software']}: {r['line'][:120]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
