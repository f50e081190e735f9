"""Text edits of one block in a Terraform file, keeping every other byte as it was."""

from __future__ import annotations

import re
from dataclasses import dataclass

from doctor.prescribe.hcl import Block, line_depths


class EditError(ValueError):
    pass


@dataclass(frozen=True)
class Span:
    """Lines [start, end] of the file (0-based, inclusive) and the depth of their content."""

    start: int
    end: int
    depth: int


def _sub_block(lines: list[str], depths: list[int], span: Span, name: str, match: dict[str, str] | None) -> Span | None:
    """The nested block `name { ... }` inside `span`; with `match`, the one whose attributes match."""
    i = span.start + 1
    while i < span.end:
        if depths[i] == span.depth and re.match(rf"^\s*{re.escape(name)}\s*\{{\s*$", lines[i]):
            j = i + 1
            while j <= span.end and depths[j] > span.depth:
                j += 1
            sub = Span(i, j - 1, span.depth + 1)
            if not match or all((at := _attr_line(lines, depths, sub, k)) is not None and _value(lines[at]) == v
                                for k, v in match.items()):
                return sub
            i = j
            continue
        i += 1
    return None


def _attr_line(lines: list[str], depths: list[int], span: Span, name: str) -> int | None:
    for i in range(span.start + 1, span.end):
        if depths[i] == span.depth and re.match(rf"^\s*{re.escape(name)}\s*=", lines[i]):
            return i
    return None


_ASSIGN = re.compile(r"^(\s*[\w-]+\s*=\s*)(.*?)(\s*(?:#.*|//.*)?)$")


def _value(line: str) -> str:
    m = _ASSIGN.match(line)
    return m.group(2) if m else ""


def _lead(line: str) -> str:
    """The line's leading white space."""
    return line[:len(line) - len(line.lstrip())]


def _indent(lines: list[str], span: Span) -> str:
    for i in range(span.start + 1, span.end):
        if lines[i].strip():
            return _lead(lines[i])
    return _lead(lines[span.start]) + "  "


class BlockEditor:
    """Edits one block of a file's text; `text` holds the result."""

    def __init__(self, text: str, block: Block) -> None:
        self.lines = text.split("\n")
        self.block = block
        self._refresh()

    def _refresh(self) -> None:
        self.depths = line_depths("\n".join(self.lines))
        start = self.block.start
        end = start + 1
        while end < len(self.lines) and self.depths[end] > 0:
            end += 1
        self.span = Span(start, end - 1, 1)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def _resolve(self, path: str, match: dict[str, str] | None, create: bool) -> tuple[Span, str]:
        *parents, attr = path.split(".")
        span = self.span
        for k, parent in enumerate(parents):
            last = k == len(parents) - 1
            sub = _sub_block(self.lines, self.depths, span, parent, match if last else None)
            if sub is None:
                if not create:
                    raise EditError(f"{self.block.address} has no {parent} block")
                indent = _indent(self.lines, span)
                body = [f"{indent}{parent} {{"]
                if last and match:
                    body += [f"{indent}  {mk} = {mv}" for mk, mv in match.items()]
                body.append(f"{indent}}}")
                self.lines[span.end:span.end] = ([""] if self.lines[span.end - 1].strip() else []) + body
                self._refresh()
                sub = _sub_block(self.lines, self.depths, self.span if k == 0 else span, parent, match if last else None)
                assert sub is not None
            span = sub
        return span, attr

    def get(self, path: str, *, match: dict[str, str] | None = None) -> str | None:
        try:
            span, attr = self._resolve(path, match, create=False)
        except EditError:
            return None
        i = _attr_line(self.lines, self.depths, span, attr)
        return _value(self.lines[i]) if i is not None else None

    def set(self, path: str, value: str, *, match: dict[str, str] | None = None) -> str | None:
        """Set `path` (`memory`, `health_check.timeout`) to the HCL literal `value`.

        A missing attribute or nested block is added. With `match`, the nested
        block is the one whose attributes equal it (`parameter` named max_connections).
        Returns the old value (None when added).
        """
        span, attr = self._resolve(path, match, create=True)
        i = _attr_line(self.lines, self.depths, span, attr)
        if i is None:
            indent = _indent(self.lines, span)
            self.lines.insert(span.end, f"{indent}{attr} = {value}")
            self._refresh()
            return None
        m = _ASSIGN.match(self.lines[i])
        assert m is not None, "the attribute line was found by this pattern"
        old = m.group(2)
        self.lines[i] = m.group(1) + value + m.group(3)
        return old

    def insert_into_list(self, attr_path: str, item_lines: list[str]) -> None:
        """Append lines as the first entries of the list `Statement = [` found in the block."""
        name = attr_path.split(".")[-1]
        for i in range(self.span.start + 1, self.span.end):
            if re.match(rf"^\s*{re.escape(name)}\s*=\s*\[\s*$", self.lines[i]):
                indent = _lead(self.lines[i]) + "  "
                self.lines[i + 1:i + 1] = [indent + line if line else line for line in item_lines]
                self._refresh()
                return
        raise EditError(f"{self.block.address} has no `{name} = [` list to add to")
