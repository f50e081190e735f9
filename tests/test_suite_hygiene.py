"""The suite's own shape: test modules never import one another (what they share lives in
tests/conftest.py), build no fake server of their own (those live in tests/fakes/, one per outside
service), importing a test module starts no fake service, and nothing written to CloudWatch carries a
fixed date (it would be refused once it is 14 days old)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
MODULES = sorted(TESTS.glob("test_*.py"))


def _is_test_module(dotted: str) -> bool:
    """`test_x`, `tests.test_x` or `tests.test_x.y`: a test module (or something inside one)."""
    parts = dotted.split(".")
    if parts[0] == "tests":
        parts = parts[1:]
    return bool(parts) and parts[0].startswith("test_")


def imports_of_test_modules(tree: ast.Module) -> list[str]:
    """Every import of another test module, anywhere in the module (a function-local one too)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1 and not module:  # `from . import test_x`
                found += [f"line {node.lineno}: from . import {a.name}" for a in node.names if a.name.startswith("test_")]
            elif node.level == 1 and _is_test_module(module) or node.level == 0 and module.startswith("tests.") \
                    and _is_test_module(module):
                found.append(f"line {node.lineno}: from {'.' * node.level}{module} import ...")
            elif node.level == 0 and module == "tests":  # `from tests import test_x`
                found += [f"line {node.lineno}: from tests import {a.name}" for a in node.names
                          if a.name.startswith("test_")]
        elif isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {a.name}" for a in node.names
                      if a.name.startswith("tests.") and _is_test_module(a.name)]
    return found


def _fake_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """The names a module binds to things from tests.fakes: (classes and functions, modules)."""
    names: set[str] = set()
    modules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            relative_fakes = node.level == 1 and (module == "fakes" or module.startswith("fakes."))
            absolute_fakes = node.level == 0 and (module == "tests.fakes" or module.startswith("tests.fakes."))
            if relative_fakes or absolute_fakes:
                bound = {a.asname or a.name for a in node.names}
                (modules if module in ("fakes", "tests.fakes") else names).update(bound)
            elif node.level == 1 and not module:
                modules.update(a.asname or a.name for a in node.names if a.name == "fakes")
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "tests.fakes" or a.name.startswith("tests.fakes."):
                    modules.add(a.asname or a.name.split(".")[0])
    return names, modules


def _import_time(tree: ast.Module) -> list[ast.AST]:
    """What runs when the module is imported: its top-level statements, and of each function or class
    defined there its decorators, default values and (for a class) its body."""
    run: list[ast.AST] = []
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        stmt = pending.pop()
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            run += [*stmt.decorator_list, *stmt.args.defaults, *(d for d in stmt.args.kw_defaults if d is not None)]
        elif isinstance(stmt, ast.ClassDef):
            run += [*stmt.decorator_list, *stmt.bases, *stmt.keywords]
            pending += stmt.body
        else:
            run.append(stmt)
    return run


def _root(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def fakes_started_at_import(tree: ast.Module) -> list[str]:
    """Every call, at import time, of something from tests.fakes (a class: a server started on import)."""
    names, modules = _fake_names(tree)
    found = []
    for part in _import_time(tree):
        for node in ast.walk(part):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id in names or isinstance(func, ast.Attribute) and (
                    _root(func) in modules or _root(func) in names):
                found.append(f"line {node.lineno}: {ast.unparse(func)}(...)")
    return found


SERVER_MODULES = ("http.server", "socketserver", "websockets.server", "websockets.sync.server",
                  "websockets.asyncio.server")


def servers_built_here(tree: ast.Module) -> list[str]:
    """Imports of what a hand-rolled fake server is built from: such a fake belongs in tests/fakes/."""
    found = []
    for node in ast.walk(tree):
        modules = [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else \
            [a.name for a in node.names] if isinstance(node, ast.Import) else []
        found += [f"line {node.lineno}: {m}" for m in modules if m in SERVER_MODULES]
    return found


def fixed_dates_beside_cloudwatch(tree: ast.Module) -> list[str]:
    """Module-level times built from a fixed date (`T0 = datetime(2026, 11, 20, ...)`) in a module that writes to
    CloudWatch (moto's server): CloudWatch refuses events older than 14 days, so such a test starts failing two
    weeks after it was written, on every machine. Such modules take their times from `conftest.recent_t0()`."""
    writes = any(isinstance(n, ast.Attribute) and n.attr == "put_log_events" for n in ast.walk(tree))
    if not writes:
        return []
    found = []
    for node in tree.body:
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        if (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "datetime"
                and value.args and all(isinstance(a, ast.Constant) for a in value.args)):
            found.append(f"line {node.lineno}")
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_fixed_date_is_written_to_cloudwatch(path):
    assert fixed_dates_beside_cloudwatch(ast.parse(path.read_text())) == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_test_module_imports_another(path):
    assert imports_of_test_modules(ast.parse(path.read_text())) == []


@pytest.mark.parametrize("path", [*MODULES, TESTS / "conftest.py"], ids=lambda p: p.name)
def test_nothing_from_the_fakes_starts_at_import(path):
    assert fakes_started_at_import(ast.parse(path.read_text())) == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_fake_servers_live_in_the_fakes(path):
    assert servers_built_here(ast.parse(path.read_text())) == []


def test_the_checks_catch_what_they_are_for():
    bad = ast.parse(
        "import tests.test_slack\n"
        "from tests.test_alerts import BEARER\n"
        "from .test_tasks import QUEUE\n"
        "from . import test_edge\n"
        "from tests import test_observe\n"
        "from .conftest import REPO\n"
        "from .fakes.loki_server import FakeLoki\n"
        "from .fakes import slack_api\n"
        "from .fakes.slack_api import SlackWebAPI as Api\n"
        "LOKI = FakeLoki()\n"
        "URL = slack_api.SlackWebAPI().url\n"
        "@pytest.mark.parametrize('s', [{'url': Api().url}])\n"
        "def test_a(s, loki=FakeLoki()):\n"
        "    from .test_slack import post\n"
        "    FakeLoki()\n"
        "class TestB:\n"
        "    api = Api()\n"
        "    def test_c(self):\n"
        "        Api()\n")
    assert sorted((line.split(":")[0] for line in imports_of_test_modules(bad)), key=lambda s: int(s[5:])) == [
        "line 1", "line 2", "line 3", "line 4", "line 5", "line 14"]
    assert sorted(int(line.split(":")[0].removeprefix("line ")) for line in fakes_started_at_import(bad)) == [
        10, 11, 12, 13, 17]
    assert fixed_dates_beside_cloudwatch(ast.parse(
        "T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)\nAT = recent_t0()\n"
        "def f(c):\n    c.put_log_events(logEvents=[])\n")) == ["line 1"]
    assert fixed_dates_beside_cloudwatch(ast.parse("T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)\n")) == []
    assert servers_built_here(ast.parse("from http.server import ThreadingHTTPServer\nimport socketserver\n"
                                        "from websockets.sync.server import serve\nimport http.client\n")) == [
        "line 1: http.server", "line 2: socketserver", "line 3: websockets.sync.server"]
