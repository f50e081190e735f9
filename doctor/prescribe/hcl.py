"""An index of a Terraform tree: every block with its file, line span and references.

python-hcl2 parses (and so validates) each file, but its output has no line
numbers, and fixes must be written back as text edits that keep comments and
layout. So blocks and their spans come from a small scanner that tracks braces
outside strings, comments and heredocs; hcl2 is the judge of validity.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hcl2

_BLOCK_START = re.compile(r'^(resource|data|module|variable|output|locals|provider|terraform)\b\s*((?:"[^"]*"\s*)*)\{')
_REF = re.compile(r"\b(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z_][\w-]*)\b")
_VAR_REF = re.compile(r"\$\{var\.(\w+)\}")


def line_depths(text: str) -> list[int]:
    """Brace depth at the start of each line, ignoring braces in strings, comments, heredocs."""
    depths = []
    depth = 0
    in_block_comment = False
    heredoc: str | None = None
    # A stack of contexts: "code" or "str"; "${" inside a string pushes "code".
    for line in text.split("\n"):
        depths.append(depth)
        if heredoc is not None:
            if line.strip() == heredoc:
                heredoc = None
            continue
        stack = ["code"]
        i, n = 0, len(line)
        while i < n:
            c = line[i]
            if in_block_comment:
                if line.startswith("*/", i):
                    in_block_comment = False
                    i += 2
                    continue
                i += 1
                continue
            if stack[-1] == "str":
                if c == "\\":
                    i += 2
                    continue
                if c == '"':
                    stack.pop()
                elif line.startswith("${", i) or line.startswith("%{", i):
                    stack.append("code")
                    i += 2
                    continue
                i += 1
                continue
            # code
            if c == "#" or line.startswith("//", i):
                break
            if line.startswith("/*", i):
                in_block_comment = True
                i += 2
                continue
            if c == '"':
                stack.append("str")
            elif line.startswith("<<", i):
                m = re.match(r"<<-?([A-Za-z_]\w*)", line[i:])
                if m:
                    heredoc = m.group(1)
                    break
            elif c == "{":
                if len(stack) > 1:
                    stack.append("code")  # a brace inside an interpolation
                else:
                    depth += 1
            elif c == "}":
                if len(stack) > 1:
                    stack.pop()
                    # closing an interpolation returns to the string
                else:
                    depth -= 1
            i += 1
    return depths


@dataclass
class Block:
    kind: str  # resource, data, variable, ...
    labels: tuple[str, ...]
    file: Path
    start: int  # 0-based index of the opening line
    end: int  # 0-based index of the closing line
    text: str
    parsed: dict[str, Any] = field(default_factory=dict)

    @property
    def address(self) -> str:
        if self.kind == "resource":
            return ".".join(self.labels)
        if self.kind == "data":
            return "data." + ".".join(self.labels)
        return ".".join((self.kind, *self.labels))

    @property
    def type(self) -> str | None:
        return self.labels[0] if self.kind in ("resource", "data") and self.labels else None

    @property
    def name(self) -> str | None:
        return self.labels[-1] if self.labels else None

    def references(self) -> set[str]:
        refs = set()
        for m in _REF.finditer(self.text):
            data, typ, name = m.groups()
            if typ in ("var", "local", "module", "each", "count", "path", "self", "terraform"):
                continue
            refs.add(f"{'data.' if data else ''}{typ}.{name}")
        return refs


class TerraformParseError(ValueError):
    pass


def scan_blocks(text: str, file: Path) -> list[Block]:
    lines = text.split("\n")
    depths = line_depths(text)
    blocks = []
    i = 0
    while i < len(lines):
        m = _BLOCK_START.match(lines[i]) if depths[i] == 0 else None
        if not m:
            i += 1
            continue
        labels = tuple(re.findall(r'"([^"]*)"', m.group(2)))
        end = i
        if lines[i].rstrip().endswith("}") and lines[i].count("{") == lines[i].count("}"):
            end = i  # one-line block
        else:
            j = i + 1
            while j < len(lines) and depths[j] > 0:
                j += 1
            # depths[j] is the depth at the start of line j: the closing line is j - 1.
            end = j - 1
        blocks.append(Block(m.group(1), labels, file, i, end, "\n".join(lines[i : end + 1])))
        i = end + 1
    return blocks


def parse_hcl(text: str, name: str = "<text>") -> dict[str, Any]:
    """Parse with python-hcl2; raise TerraformParseError with the parser's own reason."""
    try:
        return hcl2.loads(text)
    except Exception as exc:  # hcl2 raises lark errors of several kinds
        raise TerraformParseError(f"{name}: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


@functools.lru_cache(maxsize=256)
def _parse_error(text: str) -> str | None:
    """Why `text` does not parse, or None. Remembered: every fix reads the whole repository again,
    and parsing costs about 45 ms of CPU a file, on the service's interpreter."""
    try:
        hcl2.loads(text)
    except Exception as exc:
        return _reason(exc)
    return None


class TerraformRepo:
    """The `.tf` files under `tf_dir`, indexed. Paths in fixes are relative to `root`."""

    def __init__(self, tf_dir: Path, *, root: Path | None = None) -> None:
        self.tf_dir = Path(tf_dir).resolve()
        if not self.tf_dir.is_dir():
            raise FileNotFoundError(f"no Terraform directory at {tf_dir}")
        self.root = Path(root or self.tf_dir.parent).resolve()
        self.texts: dict[Path, str] = {}
        self.blocks: list[Block] = []
        for path in sorted(self.tf_dir.rglob("*.tf")):
            if ".terraform" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            if (reason := _parse_error(text)) is not None:
                raise TerraformParseError(f"{self.rel(path)}: {reason}")
            self.texts[path] = text
            self.blocks.extend(scan_blocks(text, path))
        self._by_address = {b.address: b for b in self.blocks}

    def rel(self, path: Path) -> str:
        return str(path.resolve().relative_to(self.root))

    def get(self, address: str) -> Block | None:
        return self._by_address.get(address)

    def of_type(self, typ: str) -> list[Block]:
        return [b for b in self.blocks if b.kind == "resource" and b.type == typ]

    def referencing(self, address: str, typ: str | None = None) -> list[Block]:
        """Blocks whose text refers to `address` (optionally only of resource type `typ`)."""
        return [b for b in self.blocks if address in b.references() and (typ is None or b.type == typ)]

    def variable_default(self, name: str) -> str | None:
        block = self.get(f"variable.{name}")
        if block is None:
            return None
        m = re.search(r'^\s*default\s*=\s*"([^"]*)"', block.text, re.MULTILINE)
        return m.group(1) if m else None

    def resolve(self, value: str) -> str:
        """Substitute `${var.x}` with the variable's default, for matching names."""
        return _VAR_REF.sub(lambda m: self.variable_default(m.group(1)) or m.group(0), value)

    def attribute(self, block: Block, name: str) -> str | None:
        """The raw text of a top-level attribute's value (one line), or None."""
        depths = line_depths(block.text)
        for line, depth in zip(block.text.split("\n"), depths):
            if depth != 1:
                continue
            m = re.match(rf"^\s*{re.escape(name)}\s*=\s*(.+?)\s*(?:#.*)?$", line)
            if m:
                return m.group(1)
        return None
