"""Was a proposed fix applied since? Read from the Terraform tree, never assumed.

The doctor never applies a fix, so the only fact it can check is whether the file the fix
edits now reads as the fix left it. Each hunk of the fix's unified diff gives a block before
(context and removed lines) and after (context and added lines); the answer is "yes" when
every after-block is in the file and no before-block is, "no" when every before-block is still
there and no after-block, and "unknown" otherwise (the file is gone or changed in other ways).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

Applied = Literal["yes", "no", "unknown"]
MAX_DIFF_CHARS = 200_000  # a stored diff is small; this bounds the work on a corrupt row


def hunks(diff: str) -> list[tuple[str, str]]:
    """Each hunk's (before, after) text, from a unified diff."""
    out: list[tuple[str, str]] = []
    before: list[str] | None = None
    after: list[str] = []
    for line in diff[:MAX_DIFF_CHARS].split("\n"):
        if line.startswith("@@"):
            if before is not None:
                out.append(("\n".join(before), "\n".join(after)))
            before, after = [], []
        elif before is None or line.startswith(("---", "+++")):
            continue
        elif line.startswith("-"):
            before.append(line[1:])
        elif line.startswith("+"):
            after.append(line[1:])
        elif line.startswith(" ") or line == "":
            before.append(line[1:])
            after.append(line[1:])
    if before is not None:
        out.append(("\n".join(before), "\n".join(after)))
    return [(b.rstrip("\n"), a.rstrip("\n")) for b, a in out if b != a]


def fix_applied(fix: dict[str, Any] | None, *, root: Path) -> Applied:
    """Whether the stored `fix` (a `Fix` as JSON) is in the tree under `root` (the repository root
    its target file is relative to)."""
    if not fix or not isinstance(fix.get("diff"), str):
        return "unknown"
    target = fix.get("target") or {}
    name = target.get("file") if isinstance(target, dict) else None
    if not isinstance(name, str) or not name.startswith("terraform/") or ".." in Path(name).parts:
        return "unknown"
    try:
        text = (root / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return "unknown"
    pairs = hunks(fix["diff"])
    if not pairs:
        return "unknown"
    if all(a in text for _, a in pairs) and not any(b in text for b, _ in pairs):
        return "yes"
    if all(b in text for b, _ in pairs) and not any(a in text for _, a in pairs):
        return "no"
    return "unknown"
