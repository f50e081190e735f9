"""The public incident corpus: the fixed split, the loader, and the bench that scores the engine on it."""

from __future__ import annotations

import io

import pytest

from bench import corpus
from bench.corpus_data import case_digest, is_held_out, load_cases

CASE = """\
- id: {id}
  system: demo
  source: https://example.org/{id}
  category: {category}
  summary: a case
  log: |
    {log}
"""


def _write(tmp_path, *cases):
    (tmp_path / "demo.yaml").write_text("".join(CASE.format(**c) for c in cases))
    return tmp_path


def test_split_rule_is_the_parity_of_the_ids_first_sha256_byte():
    # sha256("a") starts 0xca, "d" 0x18 (even: readable); "e" 0x3f, "f" 0x25 (odd: held-out).
    assert [is_held_out(i) for i in "adef"] == [False, False, True, True]


def test_loader_reads_cases_and_rejects_duplicate_ids(tmp_path):
    d = _write(tmp_path, {"id": "a", "category": "dns", "log": "x"}, {"id": "e", "category": "oom", "log": "y"})
    cases = load_cases([d])
    assert [(c.id, c.half) for c in cases] == [("a", "readable"), ("e", "held-out")]
    (tmp_path / "more.yaml").write_text(CASE.format(id="a", category="dns", log="z"))
    with pytest.raises(ValueError, match="'a' already in"):
        load_cases([d])


def test_case_log_goes_through_the_file_parser_into_a_digest(tmp_path):
    d = _write(tmp_path, {"id": "a", "category": "dns", "log": "2026-11-20T10:00:00Z ERROR boom"})
    digest = case_digest(load_cases([d])[0])
    assert digest.lines_in == 1 and digest.templates[0].is_error


def test_bench_scores_both_halves_and_never_prints_held_out_cases(tmp_path):
    dns = "2026-11-20T10:00:00Z ERROR socket.gaierror: [Errno -2] Name or service not known"
    d = _write(tmp_path, {"id": "a", "category": "dns", "log": dns}, {"id": "hidden-1", "category": "oom", "log": dns},
               {"id": "hidden-0", "category": "dns", "log": dns})
    out = io.StringIO()
    totals = corpus.run([d], misses=True, out=out)
    held = [c for c in load_cases([d]) if c.half == "held-out"]
    assert [c.id for c in held] == ["hidden-1", "hidden-0"]
    assert totals == {"readable": (1, 1), "held-out": (1, 2)}
    text = out.getvalue()
    for c in held:
        assert c.id not in text
    assert "held-out accuracy" in text
