"""bench/intake.py: a collected batch is checked, measured and merged into the corpora without losing a case."""

from __future__ import annotations

import yaml

from bench import intake
from bench.corpus_data import is_held_out, load_cases

CASE = {"id": "redis-oom", "system": "redis", "source": "https://github.com/o/r/issues/1", "category": "cache_memory",
        "summary": "maxmemory reached", "log": "OOM command not allowed when used memory > 'maxmemory'.\n"}


def _case(**change):
    return {**CASE, **change}


def _batch(tmp_path, parts):
    batch = tmp_path / "batch"
    for name, cases in parts.items():
        (batch / name).mkdir(parents=True)
        (batch / name / "cases.yaml").write_text(yaml.safe_dump(cases), encoding="utf-8")
    return batch


def _corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "redis.yaml").write_text("# Real incidents about Redis.\n" + intake.dump([_case(id="redis-old", source="https://github.com/o/r/issues/0")]))
    return corpus


def test_a_batch_keeps_good_cases_and_says_why_each_other_is_left(tmp_path):
    corpus = _corpus(tmp_path)
    batch = _batch(tmp_path, {
        "a": [_case(), _case(id="redis-old", source="https://github.com/o/r/issues/2"),
              _case(id="redis-bad", category="memory", source="https://github.com/o/r/issues/3")],
        "b": [_case(id="redis-dropped", source="https://github.com/o/r/issues/4"),
              _case(id="redis-again", source="https://github.com/o/r/issues/0"),
              _case(id="nginx-x", system="nginx", source="https://github.com/o/r/issues/5", log="a\nb\n")],
    })
    (batch / "drop.txt").write_text("redis-dropped\n")
    kept, rows = intake.check_cases(batch, corpus)
    assert [c["id"] for c in kept] == ["redis-oom", "nginx-x"]
    by_id = {row.split()[3]: row for row in rows}
    assert "id already taken" in by_id["redis-old"]
    assert "not in the vocabulary" in by_id["redis-bad"]
    assert by_id["redis-dropped"].startswith("DROP")
    assert "source already in the corpus" in by_id["redis-again"]


def test_a_part_that_is_not_yaml_is_reported_not_fatal(tmp_path):
    batch = _batch(tmp_path, {"a": [_case()]})
    (batch / "b").mkdir()
    (batch / "b" / "cases.yaml").write_text("- id: [unclosed\n")
    kept, rows = intake.check_cases(batch, _corpus(tmp_path))
    assert [c["id"] for c in kept] == ["redis-oom"]
    assert any(row.startswith("bad") and "not YAML" in row for row in rows)


def test_merged_cases_join_their_systems_files_and_a_new_system_gets_its_own(tmp_path):
    corpus = _corpus(tmp_path)
    multi = "2026-01-01T00:00:00Z ERROR one\n  indented second line  \n"
    merged = intake.write_merged(tmp_path, [_case(), _case(id="envoy-x", system="envoy", log=multi)])
    assert intake.merge_cases(merged, corpus) == ["envoy"]
    cases = {c.id: c for c in load_cases([corpus])}
    assert set(cases) == {"redis-old", "redis-oom", "envoy-x"}
    assert cases["envoy-x"].log == multi  # verbatim, whitespace and all
    assert (corpus / "redis.yaml").read_text().startswith("# Real incidents about Redis.\n")
    assert (corpus / "envoy.yaml").read_text().startswith("# Real incidents from public threads about envoy.")


def test_header_lines_are_measured_per_half_and_appended_in_the_files_style(tmp_path):
    row = {"software": "Demo's daemon", "source": "https://example.org/1",
           "line": "2024-05-01 10:00:00,123 ERROR [main] it's broken", "timestamp": "2024-05-01 10:00:00,123",
           "when": "2024-05-01 10:00:00", "zone": None, "level": "ERROR", "message": "it's broken"}
    half = "held-out" if is_held_out(row["software"]) else "readable"
    figures = intake.measure_lines([row])
    assert figures[half][0] == 1 and figures[half][1] == 1 and figures[half][2] == 1
    target = tmp_path / "lines.yaml"
    target.write_text("# header\nlines:\n- software: 'x'\n  source: 'y'\n  line: 'z'\n  timestamp: null\n"
                      "  when: null\n  zone: null\n  level: null\n  message: 'z'\n")
    assert intake.merge_lines([row], target) == 2
    assert yaml.safe_load(target.read_text())["lines"][1] == row
    assert "  software: " not in target.read_text() and "- software: 'Demo''s daemon'" in target.read_text()


def test_secrets_are_measured_per_half_and_land_in_their_lists(tmp_path):
    token = "ghp_" + "wWPw5k4aXcaT4fNP0UcnZwJUVFk6LO0pINUx"
    sha = "d5797a0ef429da9c9916a121f88a2420f48ba3b9"
    data = {"formats": [{"format": "GitHub personal access token (ghp_)", "source": "https://example.org/t",
                         "documented": "ghp_ prefix", "context": "bare", "secret": token,
                         "line": f"auth failed for token {token}"}],
            "identifiers": [{"kind": "a commit hash (40 hex)", "source": "https://example.org/c",
                             "documented": "40 hex", "keep": sha, "line": f"deployed commit {sha}"}]}
    figures = intake.measure_secrets(data)
    f_half = "held-out" if is_held_out(data["formats"][0]["format"]) else "readable"
    i_half = "held-out" if is_held_out(data["identifiers"][0]["kind"]) else "readable"
    assert figures[f_half][:2] == (1, 1)
    assert figures[i_half][2:] == (1, 1)
    target = tmp_path / "unseen.yaml"
    target.write_text("# header\nformats:\n- format: old\n  secret: s\nidentifiers:\n- kind: old id\n  keep: k\n")
    assert intake.merge_secrets(data, target) == (2, 2)
    merged = yaml.safe_load(target.read_text())
    assert [f["format"] for f in merged["formats"]] == ["old", "GitHub personal access token (ghp_)"]
    assert [i["kind"] for i in merged["identifiers"]] == ["old id", "a commit hash (40 hex)"]


def test_the_known_lists_name_what_the_corpora_hold(tmp_path):
    sizes = intake.write_known(tmp_path)
    cases = load_cases()
    sources = (tmp_path / "existing_sources.txt").read_text().splitlines()
    assert sizes["existing_sources.txt"] == len(sources) == len({c.source for c in cases})
    systems = dict(row.rsplit(" ", 1) for row in (tmp_path / "existing_systems.txt").read_text().splitlines())
    assert sum(int(n) for n in systems.values()) == len(cases)
    assert any(row.startswith("format: ") for row in (tmp_path / "existing_secrets.txt").read_text().splitlines())
