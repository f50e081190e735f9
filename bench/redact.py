"""Benchmark: our data-driven redaction rules against detect-secrets 1.5, in one run.

Measures, for each option:
- recall on the vendor-format corpus (tests/corpus/secrets/formats.yaml): a format counts
  as caught when the redacted line no longer holds the secret. For detect-secrets the
  line is redacted the way a caller would: every value its plugins report is replaced;
- identifiers kept (tests/corpus/secrets/identifiers.yaml): the identifier is still there;
- Loghub lines changed (false positives: the 16,000 Loghub-2k lines hold no secrets we know of);
- lines/s on the Loghub-2k lines (`../shared/data/loghub`, read in place, never copied).
Also the previous redactor (git HEAD's parent of this change, when git has it) on the same
lines, and the CPU time of adversarial lines (`-eyJ` repeated) of growing length.

detect-secrets runs on every Loghub line only with --full (it is ~100x slower); by default
on every 8th line, and its lines/s is computed from those.

Usage: python bench/redact.py [--repeat N] [--full] [--loghub DIR] [--old-ref REF]
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from loghub import LOGHUB  # noqa: E402

from bench.corpus_data import split_halves  # noqa: E402
from doctor.digest.redact import Redactor  # noqa: E402

CORPUS = ROOT / "tests" / "corpus" / "secrets"


def loghub_lines(root: Path) -> list[str]:
    return [line.rstrip("\n") for path in sorted(root.glob("*/*_2k.log"))
            for line in path.open(encoding="utf-8", errors="replace")]


class DetectSecrets:
    """detect-secrets used as a line redactor: every reported value replaced, longest first."""

    def __init__(self) -> None:
        from detect_secrets.core.scan import scan_line
        from detect_secrets.settings import default_settings

        self._scan = scan_line
        self._settings = default_settings

    def redact(self, line: str) -> str:
        with self._settings():
            values = {s.secret_value for s in self._scan(line) if s.secret_value}
        for v in sorted(values, key=len, reverse=True):
            line = line.replace(v, "<SECRET>")
        return line


def _before_rules() -> str | None:
    """The commit before the one that added doctor/digest/secrets.py (the previous redactor)."""
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "log", "--diff-filter=A", "--format=%H", "--",
                              "doctor/digest/secrets.py"], check=True, capture_output=True, text=True).stdout.split()
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None
    return f"{out[-1]}~1" if out else None


def old_redactor(ref: str | None):
    """The redactor as it was at `ref`, loaded from git into a throwaway module."""
    if ref is None:
        return None
    try:
        src = subprocess.run(["git", "-C", str(ROOT), "show", f"{ref}:doctor/digest/redact.py"], check=True,
                             capture_output=True, text=True).stdout
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None
    path = Path(tempfile.mkdtemp()) / "old_redact.py"
    path.write_text(src)
    spec = importlib.util.spec_from_file_location("old_redact", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_redact"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module.Redactor()


def quality(redact, formats, identifiers, lines) -> dict:
    caught = sum(f["secret"] not in redact(f["line"]) for f in formats)
    kept = sum(i["keep"] in redact(i["line"]) for i in identifiers)
    changed = sum(redact(line) != line for line in lines)
    return {"caught": caught, "kept": kept, "changed": changed}


def speed(redact, lines, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        for line in lines:
            redact(line)
        runs.append(len(lines) / (time.perf_counter() - t))
    return statistics.median(runs)


def adversarial(redact, sizes) -> list[float]:
    out = []
    for n in sizes:
        text = ("-eyJ" * (n // 4 + 1))[:n]
        t = time.process_time()
        redact(text)
        out.append(time.process_time() - t)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--full", action="store_true", help="detect-secrets on every Loghub line, not every 8th")
    ap.add_argument("--loghub", type=Path, default=LOGHUB, help="the Loghub-2k folder (default: ../shared/data/loghub)")
    ap.add_argument("--old-ref", default=None,
                    help="git ref of the previous redactor (default: the commit before doctor/digest/secrets.py)")
    args = ap.parse_args()
    formats = yaml.safe_load((CORPUS / "formats.yaml").read_text())["formats"]
    identifiers = yaml.safe_load((CORPUS / "identifiers.yaml").read_text())["identifiers"]
    lines = loghub_lines(args.loghub)
    if not lines:
        sys.exit(f"no Loghub-2k lines under {args.loghub}; pass --loghub")
    sample = lines if args.full else lines[::8]

    options = [("ours (rules + entropy)", Redactor().redact, lines),
               ("ours, no entropy rule", Redactor(entropy=False).redact, lines)]
    ref = args.old_ref or _before_rules()
    old = old_redactor(ref)
    if old is not None:
        options.append(("previous redactor", old.redact, lines))
    try:
        options.append(("detect-secrets 1.5 (default plugins)", DetectSecrets().redact, sample))
    except ImportError:
        print("detect-secrets not installed (pip install detect-secrets); measuring ours alone")

    print(f"corpus: {len(formats)} formats, {len(identifiers)} identifiers; Loghub: {len(lines):,} lines\n")
    print("| option | formats caught | identifiers kept | Loghub lines changed | lines/s |")
    print("|---|---:|---:|---:|---:|")
    for name, redact, on in options:
        q = quality(redact, formats, identifiers, on)
        rate = speed(redact, on, args.repeat)
        share = "" if on is lines else f" (of {len(on):,})"
        print(f"| {name} | {q['caught']}/{len(formats)} | {q['kept']}/{len(identifiers)} | "
              f"{q['changed']:,}{share} | {rate:,.0f} |")

    # Formats and identifiers nobody wrote a rule for when they were collected: rules come from the readable
    # half, so only the held-out half says how the redactor does on the world's formats.
    unseen = yaml.safe_load((CORPUS / "unseen.yaml").read_text())
    fmt_halves, id_halves = split_halves(unseen["formats"], "format"), split_halves(unseen["identifiers"], "kind")
    halves = {h: (fmt_halves[h], id_halves[h]) for h in fmt_halves}
    print("\nunseen.yaml (formats and identifiers collected without the redactor in sight):")
    print("| option | readable: formats caught | identifiers kept | held-out: formats caught | identifiers kept |")
    print("|---|---:|---:|---:|---:|")
    for name, redact, _on in options:
        cells = []
        for fmts, ids in halves.values():
            q = quality(redact, fmts, ids, [])
            cells += [f"{q['caught']}/{len(fmts)}", f"{q['kept']}/{len(ids)}"]
        print(f"| {name} | " + " | ".join(cells) + " |")

    sizes = (16_384, 65_536, 1 << 20)
    print("\nCPU seconds for a line of repeated `-eyJ` (16 KiB, 64 KiB, 1 MiB):")
    print(f"  ours: {', '.join(f'{t:.4f}' for t in adversarial(Redactor().redact, sizes))}")
    if old is not None:
        print(f"  previous: {', '.join(f'{t:.4f}' for t in adversarial(old.redact, sizes[:2]))} (1 MiB not run: quadratic)")


if __name__ == "__main__":
    main()
