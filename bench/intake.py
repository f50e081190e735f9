"""Take a collected batch into the public corpora: check it, measure it once, then merge it.

Material comes from helper sessions that never saw the engine (see `bench/briefs/`), in one folder per
batch, one sub-folder per collector:

    BATCH/a/cases.yaml, BATCH/b/cases.yaml, ...   incidents (the case schema of bench.corpus_data)
    LINES.yaml                                    header lines (the schema of tests/corpus/formats/lines.yaml)
    SECRETS.yaml                                  {formats: [...], identifiers: [...]} as in unseen.yaml

The order is the corpus's rule: check, measure with the engine as it stands (before anyone reads a held-out
case), then merge. Held-out items are only counted here, as everywhere else.

    python -m bench.intake cases BATCH          # check every part, honour BATCH/drop.txt, write BATCH/merged
    python -m bench.intake cases BATCH --merge  # the same, then append BATCH/merged to tests/corpus/cases
    python -m bench.intake lines FILE [--merge] # time, level and message right per half; append to lines.yaml
    python -m bench.intake secrets FILE [--merge]  # formats caught and identifiers kept per half; append
    python -m bench.intake known DIR            # what the corpora already hold, for the collectors' briefs

`cases` prints one row per collected case (`ok`, `DROP` from drop.txt, or `bad` with its problems) and then
the batch's accuracy on both halves with the current engine (`bench.corpus.run`).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import yaml

from bench.corpus_data import CASES, case_problems, is_held_out, load_cases, split_halves

ROOT = Path(__file__).resolve().parents[1]
LINES = ROOT / "tests" / "corpus" / "formats" / "lines.yaml"
UNSEEN = ROOT / "tests" / "corpus" / "secrets" / "unseen.yaml"
LINE_KEYS = ("software", "source", "line", "timestamp", "when", "zone", "level", "message")
FORMAT_KEYS = ("format", "source", "documented", "context", "secret", "line")
IDENTIFIER_KEYS = ("kind", "source", "documented", "keep", "line")


class _Dumper(yaml.SafeDumper):
    """Multi-line text as a literal block, as the corpus files are written by hand."""


_Dumper.add_representer(str, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s,
                                                             style="|" if "\n" in s else None))


def dump(data: object) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)


def check_cases(batch: Path, corpus: Path = CASES) -> tuple[list[dict], list[str]]:
    """The batch's cases that may join `corpus`, and one report row per collected case."""
    known = load_cases([corpus])
    known_ids = {c.id for c in known}
    known_sources = {c.source for c in known}
    drop_file = batch / "drop.txt"
    drop = set(drop_file.read_text(encoding="utf-8").split()) if drop_file.exists() else set()
    kept: list[dict] = []
    rows: list[str] = []
    seen: set[str] = set()
    for part in sorted(batch.glob("*/cases.yaml")):
        if part.parent.name == "merged":
            continue
        try:
            entries = yaml.safe_load(part.read_text(encoding="utf-8")) or []
        except yaml.YAMLError as exc:
            rows.append(f"bad  {part}: not YAML ({exc.__class__.__name__})")
            continue
        for case in entries:
            if not isinstance(case, dict):
                rows.append(f"bad  {part.parent.name}: {'; '.join(case_problems(case, ''))}")
                continue
            problems = case_problems(case, str(case.get("system")))
            cid = str(case.get("id"))
            if cid in known_ids or cid in seen:
                problems.append("id already taken")
            if case.get("source") in known_sources:
                problems.append("source already in the corpus")
            seen.add(cid)
            status = "DROP" if cid in drop else "bad " if problems else "ok  "
            half = "held-out" if is_held_out(cid) else "readable"
            rows.append(f"{status} {part.parent.name} {half:8} {cid} [{case.get('category')}]"
                        + (f" ({'; '.join(problems)})" if problems else ""))
            if status == "ok  ":
                kept.append(case)
    return kept, rows


def write_merged(batch: Path, kept: list[dict]) -> Path:
    """BATCH/merged/<system>.yaml: the kept cases by system, the folder `bench.corpus --cases` reads."""
    out = batch / "merged"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    by_system: dict[str, list[dict]] = {}
    for case in kept:
        by_system.setdefault(case["system"], []).append(case)
    for system, cases in by_system.items():
        (out / f"{system}.yaml").write_text(dump(cases), encoding="utf-8")
    return out


def merge_cases(merged: Path, corpus: Path = CASES) -> list[str]:
    """Append each merged file to the corpus's file of its system (a new system gets a file and a header)."""
    added = []
    for path in sorted(merged.glob("*.yaml")):
        target = corpus / path.name
        body = path.read_text(encoding="utf-8")
        if target.exists():
            old = target.read_text(encoding="utf-8")
            target.write_text(old + ("" if old.endswith("\n") else "\n") + body, encoding="utf-8")
        else:
            target.write_text(f"# Real incidents from public threads about {path.stem}. Each `log` is a verbatim "
                              f"excerpt of its source.\n{body}", encoding="utf-8")
            added.append(path.stem)
    return added


def measure_lines(rows: list[dict]) -> dict[str, tuple[int, int, int, int]]:
    """Per half: (lines, time right, level right, message right) with the current parser (`bench.headers`)."""
    from bench.headers import figures

    return {half: (len(mine), *(sum(m[k] for m in marks) for k in range(3)))
            for half, (mine, marks) in figures(rows).items()}


def _quoted(value: object) -> str:
    return "null" if value is None else "'" + str(value).replace("'", "''") + "'"


def merge_lines(rows: list[dict], target: Path = LINES) -> int:
    """Append header lines to `target` in its own style (every value single-quoted, on one line)."""
    text = target.read_text(encoding="utf-8")
    block = "".join(f"{'- ' if k == 'software' else '  '}{k}: {_quoted(r[k])}\n" for r in rows for k in LINE_KEYS)
    target.write_text(text + ("" if text.endswith("\n") else "\n") + block, encoding="utf-8")
    return len(yaml.safe_load(target.read_text(encoding="utf-8"))["lines"])


def measure_secrets(data: dict) -> dict[str, tuple[int, int, int, int]]:
    """Per half: (formats, caught, identifiers, kept) with the current redactor."""
    from doctor.digest.redact import Redactor

    redact = Redactor().redact
    fmt_halves = split_halves(data.get("formats") or [], "format")
    id_halves = split_halves(data.get("identifiers") or [], "kind")
    return {half: (len(fmts), sum(f["secret"] not in redact(f["line"]) for f in fmts),
                   len(id_halves[half]), sum(i["keep"] in redact(i["line"]) for i in id_halves[half]))
            for half, fmts in fmt_halves.items()}


def merge_secrets(data: dict, target: Path = UNSEEN) -> tuple[int, int]:
    """Append formats to the end of `target`'s format list and identifiers to the end of the file."""
    text = target.read_text(encoding="utf-8")
    head, sep, tail = text.partition("\nidentifiers:\n")
    if not sep:
        raise ValueError(f"{target} has no `identifiers:` list")
    fmts = [{k: f[k] for k in FORMAT_KEYS} for f in data.get("formats") or []]
    ids = [{k: i[k] for k in IDENTIFIER_KEYS} for i in data.get("identifiers") or []]
    head = head.rstrip("\n") + "\n" + (dump(fmts) if fmts else "")
    tail = tail + ("" if tail.endswith("\n") else "\n") + (dump(ids) if ids else "")
    target.write_text(head.rstrip("\n") + sep + tail, encoding="utf-8")
    merged = yaml.safe_load(target.read_text(encoding="utf-8"))
    return len(merged["formats"]), len(merged["identifiers"])


def write_known(out: Path) -> dict[str, int]:
    """The lists a collector greps so as not to bring what the corpora hold: every case's source, the systems
    with their case counts, every header line's software and source, every secret format and identifier kind."""
    out.mkdir(parents=True, exist_ok=True)
    cases = load_cases([CASES])
    systems: dict[str, int] = {}
    for c in cases:
        systems[c.system] = systems.get(c.system, 0) + 1
    lines = yaml.safe_load(LINES.read_text(encoding="utf-8"))["lines"]
    unseen = yaml.safe_load(UNSEEN.read_text(encoding="utf-8"))
    lists = {
        "existing_sources.txt": sorted({c.source for c in cases}),
        "existing_systems.txt": [f"{s} {n}" for s, n in sorted(systems.items())],
        "existing_formats.txt": sorted({f"{r['software']} | {r['source']}" for r in lines}),
        "existing_secrets.txt": sorted({f"format: {f['format']}" for f in unseen["formats"]}
                                       | {f"identifier: {i['kind']}" for i in unseen["identifiers"]}),
    }
    for name, rows in lists.items():
        (out / name).write_text("\n".join(rows) + "\n", encoding="utf-8")
    return {name: len(rows) for name, rows in lists.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("cases", "lines", "secrets", "known"))
    ap.add_argument("path", type=Path, help="the batch folder (cases), the collected file (lines, secrets) or the "
                                            "folder for the lists (known)")
    ap.add_argument("--merge", action="store_true", help="append to the corpus after checking and measuring")
    args = ap.parse_args(argv)
    if args.what == "known":
        print(write_known(args.path))
        return 0
    if args.what == "cases":
        from bench.corpus import run

        kept, rows = check_cases(args.path)
        print("\n".join(rows))
        merged = write_merged(args.path, kept)
        print(f"kept {len(kept)} of {len(rows)}")
        if kept:
            run([merged])
        if args.merge:
            print(f"merged; new systems: {', '.join(merge_cases(merged)) or 'none'}")
        return 0
    data = yaml.safe_load(args.path.read_text(encoding="utf-8"))
    if args.what == "lines":
        rows = data["lines"] if isinstance(data, dict) else data
        for half, (n, t, lv, m) in measure_lines(rows).items():
            print(f"{half}: {n} lines; time {t}, level {lv}, message {m}")
        if args.merge:
            print(f"lines.yaml now holds {merge_lines(rows)} lines")
        return 0
    for half, (nf, caught, ni, kept_ids) in measure_secrets(data).items():
        print(f"{half}: formats caught {caught}/{nf}, identifiers kept {kept_ids}/{ni}")
    if args.merge:
        print("unseen.yaml now holds {} formats and {} identifiers".format(*merge_secrets(data)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
