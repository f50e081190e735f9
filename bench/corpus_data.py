"""The public incident corpus (`tests/corpus/cases/*.yaml`): loading, the fixed split, and one case's diagnosis.

Each case file is a YAML list of incidents from public issue threads: `id`, `system`, `source`,
`category`, optional `fix`, `summary`, `log` (verbatim text). Importable by tests and by
`bench/corpus.py`; stdlib + PyYAML + the doctor itself.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from doctor.models import CATEGORIES

CASES = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "cases"
# Failure messages as the vendors document them, a list per category (not incidents: see the file).
VENDOR_MESSAGES = CASES.parent / "vendor_messages.yaml"


def is_held_out(case_id: str) -> bool:
    """The split rule, fixed once and never changed: a case is *held-out* when the first byte of
    sha256(its id, UTF-8) is odd, *readable* otherwise.

    Signatures and the term-weighted scorer are written and fitted from readable cases only;
    held-out cases are only ever scored in aggregate. A rule on the id (not on file order or a
    random draw) keeps every case on the same side however the corpus grows or is merged.
    """
    return hashlib.sha256(case_id.encode("utf-8")).digest()[0] % 2 == 1


def split_halves(items: Iterable[dict], key: str) -> dict[str, list[dict]]:
    """`items` by the split rule on `item[key]` (a header line's software, a secret format's name, an identifier's
    kind): {"readable": [...], "held-out": [...]}, in their order."""
    out: dict[str, list[dict]] = {"readable": [], "held-out": []}
    for item in items:
        out["held-out" if is_held_out(item[key]) else "readable"].append(item)
    return out


REQUIRED = {"id", "system", "source", "category", "summary", "log"}
OPTIONAL = {"fix"}
MAX_LOG_LINES = 60
# A production incident the on-call judged wrong (`doctor export-cases --wrong`) names its incident, not a URL.
PRODUCTION_SOURCE = re.compile(r"incident:[A-Za-z0-9_-]{1,32}")


def case_problems(case: object, system: str) -> list[str]:
    """Everything wrong with one case of the `system` file; empty when it is valid."""
    if not isinstance(case, dict):
        return [f"case is {type(case).__name__}, not a mapping"]
    problems = []
    missing = REQUIRED - case.keys()
    if missing:
        problems.append(f"missing keys {sorted(missing)}")
    unknown = case.keys() - REQUIRED - OPTIONAL
    if unknown:
        problems.append(f"unknown keys {sorted(unknown)}")
    for key in REQUIRED & case.keys():
        if not isinstance(case[key], str) or not case[key].strip():
            problems.append(f"{key} must be a non-empty string")
    if problems:
        return problems
    if case["system"] != system:
        problems.append(f"system {case['system']!r} is not the file's system {system!r}")
    if not case["id"].startswith(f"{system}-"):
        problems.append(f"id {case['id']!r} does not start with {system + '-'!r}")
    if case["category"] not in CATEGORIES:
        problems.append(f"category {case['category']!r} is not in the vocabulary")
    if not (case["source"].startswith("https://") or PRODUCTION_SOURCE.fullmatch(case["source"])):
        problems.append(f"source {case['source']!r} is not an https URL (nor incident:<id>, a production incident)")
    if len(case["log"].splitlines()) > MAX_LOG_LINES:
        problems.append(f"log has more than {MAX_LOG_LINES} lines")
    if "fix" in case:
        fix = case["fix"]
        if not (isinstance(fix, dict) and set(fix) == {"resource", "attribute"}
                and all(isinstance(v, str) and v for v in fix.values())):
            problems.append("fix must be {resource: ..., attribute: ...}")
    return problems


@dataclass(frozen=True)
class Case:
    id: str
    system: str
    source: str
    category: str
    summary: str
    log: str
    fix: dict | None = None

    @property
    def half(self) -> str:
        return "held-out" if is_held_out(self.id) else "readable"


def load_cases(dirs: Iterable[Path | str] = (CASES,)) -> list[Case]:
    """Every case in `dirs`' `*.yaml` files, in file then list order. Duplicate ids are an error:
    the split and the tests address cases by id."""
    out: list[Case] = []
    seen: dict[str, Path] = {}
    for d in dirs:
        for path in sorted(Path(d).glob("*.yaml")):
            for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
                case = Case(id=str(entry["id"]), system=str(entry["system"]), source=str(entry["source"]),
                            category=str(entry["category"]), summary=str(entry.get("summary", "")),
                            log=str(entry["log"]), fix=entry.get("fix"))
                if case.id in seen:
                    raise ValueError(f"{path}: case id {case.id!r} already in {seen[case.id]}")
                seen[case.id] = path
                out.append(case)
    return out


def vendor_messages(path: Path = VENDOR_MESSAGES) -> list[tuple[str, str]]:
    """(category, message) for every vendor-documented message, in file order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [(category, text) for category, texts in data.items() for text in texts]


def vendor_case(category: str, text: str) -> Case:
    """A vendor-documented message as a one-line case, so it goes through the same path as an incident."""
    return Case(id="vendor", system="vendor", source="", category=category, summary="", log=text + "\n")


def case_by_id(case_id: str, dirs: Iterable[Path | str] = (CASES,)) -> Case:
    try:
        return _cases_by_id(tuple(str(d) for d in dirs))[case_id]
    except KeyError:
        raise KeyError(case_id) from None


@lru_cache(maxsize=4)
def _cases_by_id(dirs: tuple[str, ...]) -> dict[str, Case]:
    """The cases of `dirs` by id, parsed once: callers look up hundreds of cases of one corpus, and
    each parse of its thousands of cases takes most of a second."""
    return {case.id: case for case in load_cases(dirs)}


def case_digest(case: Case, **options):
    """The case's log through the real path: a log file on disk, the file source's parser, the
    digest builder (`options` are the builder's: a `redactor`, say)."""
    from doctor.digest import build_digest
    from doctor.sources.file import read_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{case.system}.log"
        path.write_text(case.log, encoding="utf-8")
        return build_digest(list(read_file(path)), **options)


def diagnose(case: Case, analyzer=None):
    """The offline engine's `Diagnosis` of one case."""
    from doctor.diagnose.engine import OfflineAnalyzer

    return (analyzer or OfflineAnalyzer()).analyze(case_digest(case))
