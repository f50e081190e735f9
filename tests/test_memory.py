"""Incident memory: the fingerprint, "close", the store's lookup on SQLite and PostgreSQL, the
fix-applied check, and what Slack and the text report say."""

import json
import random
from datetime import UTC, datetime, timedelta

import pytest

from doctor import pipeline
from doctor.config import Settings
from doctor.deliver.blocks import diagnosis_blocks
from doctor.deliver.memory import memory_line
from doctor.diagnose import OfflineAnalyzer
from doctor.diagnose.fingerprint import Fingerprint, close, fingerprint, fold, similarity
from doctor.models import NO_PROBLEM, LogRecord
from doctor.prescribe.applied import fix_applied

from .conftest import REPO, old_sqlite_store

# Verbatim lines of a real incident (https://github.com/yugabyte/yugabyte-db/issues/1047, Spring on a
# PostgreSQL-compatible database out of client connections) and of SQLAlchemy's pool timeout
# (https://docs.sqlalchemy.org/en/20/errors.html#error-3o7r); {pid}, {n} and {password} vary per occurrence.
TOO_MANY = ("{ts}  WARN {pid} --- [           main] o.h.e.j.e.i.JdbcEnvironmentInitiator     : HHH000342: Could not "
            "obtain connection to query metadata : FATAL: sorry, too many clients already")
POOL = ("{ts} ERROR [executor] sqlalchemy.exc.TimeoutError: QueuePool limit of size {n} overflow {n2} reached, "
        "connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)")
DSN = "{ts} INFO [executor] connecting to postgresql://trader:{password}@db-{n}.internal:5432/orders"
# Ours: an application that logs its DSN on failure, so that a secret is in the evidence itself.
DSN_FAILED = ("{ts} ERROR [executor] could not connect to postgresql://trader:{password}@db.internal/orders: "
              "FATAL: sorry, too many clients already")
HEARTBEAT = "{ts} INFO [executor] heartbeat ok, {n} orders open"
OOM = ("{ts} ERROR [ecs] (service executor) (task {pid}) stopped: OutOfMemoryError: Container killed due to "
       "memory usage; exit code 137")


def occurrence(seed: int, *, password: str, lines=(TOO_MANY, POOL, DSN_FAILED), key: str = "k" * 32):
    """One occurrence of an incident: a quiet half hour, then the incident's lines, with this
    occurrence's numbers and secret; returns (diagnosis, digest)."""
    rng = random.Random(seed)
    start = datetime(2026, 11, 3 + seed % 20, 9, 0, tzinfo=UTC)
    records = []
    for minute in range(40):
        ts = start + timedelta(minutes=minute)
        stamp = ts.strftime("%Y-%m-%d %H:%M:%S.") + f"{rng.randrange(1000):03d}"
        fill = {"ts": stamp, "pid": rng.randrange(1000, 99999), "n": rng.randrange(2, 90),
                "n2": rng.randrange(2, 90), "password": password}
        records.append(LogRecord(ts, "file", HEARTBEAT.format(**fill), {"service": "executor"}))
        records.append(LogRecord(ts, "file", DSN.format(**fill), {"service": "executor"}))
        if minute >= 25:
            for line in lines:
                for _ in range(rng.randrange(1, 4)):
                    records.append(LogRecord(ts, "file", line.format(**fill), {"service": "executor"}))
    digest = pipeline.build(records, settings=Settings(redaction_key=key))
    return OfflineAnalyzer().analyze(digest), digest


def test_fold_drops_numbers_and_the_secrets_per_run_hashes():
    a = fold("conn <SECRET:password:1a2b> to db-12 pid=4411 took 31 ms  <*> <*>")
    b = fold("conn <SECRET:password:9f0e> to db-7 pid=3 took 5 ms <*>")
    assert a == b == "conn <*> to db-0 pid=0 took 0 ms <*>"
    # What the miner makes of one line in two runs: a variable, whether the hash has a digit or not (it
    # once kept `beef` whole); a quote that keeps the whole placeholder (Gemini's) folds the same.
    from doctor.digest import TemplateMiner

    one = TemplateMiner().add("sorry, too many clients already password=<SECRET:password:beef> end").template.text
    other = TemplateMiner()
    other.add("sorry, too many clients already password=<SECRET:password:be3f> end")
    merged = other.add("sorry, too many clients already password=<SECRET:password:0a1c> end").template.text
    assert one == merged == "sorry, too many clients already password=<*> end"
    assert fold("sorry, too many clients already password=<SECRET:password:beef> end") == fold(one)
    assert fold("x" * 10_000) == "x" * 2000  # bounded


def test_the_same_incident_with_other_numbers_and_secrets_has_the_same_fingerprint():
    d1, g1 = occurrence(1, password="hunter2-Xq9zLm")
    d2, g2 = occurrence(2, password="s3cr3t-other-pw", key="z" * 32)  # another secret, another redaction key
    assert d1.category == d2.category == "db_connections"
    # The secret was redacted, with different placeholders in the two digests.
    assert "hunter2" not in str([t.exemplars for t in g1.templates])
    assert any("<SECRET:url_password:" in e.text for e in d1.evidence)  # a secret is in the evidence
    f1, f2 = fingerprint(d1, g1), fingerprint(d2, g2)
    assert not f1.empty and f1 == f2 and f1.digest == f2.digest
    assert "executor" in f1.services
    more = [occurrence(seed, password=f"pw-{seed * 7919:x}-Tq", key=f"{seed:02d}" * 16) for seed in (6, 9, 14)]
    assert {fingerprint(d, g).digest for d, g in more} == {f1.digest}


def test_a_different_cause_has_a_different_fingerprint_and_is_not_close():
    d1, g1 = occurrence(1, password="pw-1")
    d3, g3 = occurrence(3, password="pw-1", lines=(OOM,))
    assert d3.category == "oom"
    f1, f3 = fingerprint(d1, g1), fingerprint(d3, g3)
    assert f1.digest != f3.digest and similarity(f1, f3) == 0.0
    # Same category, other evidence (the pool's timeout alone against the server's refusal alone).
    d4, g4 = occurrence(4, password="pw-1", lines=(TOO_MANY,))
    d5, g5 = occurrence(5, password="pw-1", lines=(POOL,))
    f4, f5 = fingerprint(d4, g4), fingerprint(d5, g5)
    assert d4.category == d5.category == "db_connections"
    assert f4.keys.isdisjoint(f5.keys) and not close(f4, f5)


def test_close_is_category_service_and_jaccard_at_the_threshold():
    base = Fingerprint("db_connections", frozenset({"executor"}), frozenset("abcd"))
    three_of_five = Fingerprint("db_connections", frozenset({"executor", "postgres"}), frozenset("abce"))
    two_of_six = Fingerprint("db_connections", frozenset({"executor"}), frozenset("abef"))
    assert similarity(base, three_of_five) == pytest.approx(0.6) and close(base, three_of_five)
    assert similarity(base, two_of_six) == pytest.approx(1 / 3) and not close(base, two_of_six)
    assert close(base, two_of_six, threshold=0.3)  # the threshold is the setting's
    assert similarity(base, Fingerprint("oom", base.services, base.keys)) == 0.0  # another category
    assert similarity(base, Fingerprint("db_connections", frozenset({"strategy"}), base.keys)) == 0.0  # another service
    assert similarity(base, Fingerprint("db_connections", frozenset(), base.keys)) == 1.0  # service unknown: no veto
    assert similarity(Fingerprint("other", frozenset(), frozenset()), Fingerprint("other", frozenset(), frozenset())) == 0


# Names that a careless match would confuse: one inside another, LIKE's wildcards, a quote.
SERVICE_NAMES = ["executor", "exec", "pay_ment", "payxment", "50%", '"q"', "strategy"]


def test_the_store_finds_exactly_the_close_incidents(store):
    """The store's indexed lookup against the definition, on random fingerprints (SQLite and PostgreSQL)."""
    rng = random.Random(19)
    pool = [f"{i:016x}" for i in range(12)]
    saved = {}
    for i in range(80):
        fp = Fingerprint(rng.choice(["db_connections", "oom"]), frozenset(rng.sample(SERVICE_NAMES, rng.randrange(0, 3))),
                         frozenset(rng.sample(pool, rng.randrange(1, 6))))
        when = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(hours=i)
        saved[store.save_incident(title=f"t{i}", category=fp.category, diagnosis={}, fix=None, digest={},
                                  memory=fp, created_at=when)] = (fp, when)
    for probe_no in range(25):
        probe = Fingerprint(rng.choice(["db_connections", "oom"]), frozenset(rng.sample(SERVICE_NAMES, rng.randrange(0, 3))),
                            frozenset(rng.sample(pool, rng.randrange(1, 6))))
        for threshold in (0.3, 0.5, 0.8):
            want = sorted((i for i, (fp, _) in saved.items() if similarity(probe, fp) >= threshold),
                          key=lambda i: saved[i][1], reverse=True)
            got = store.similar_incidents(probe, threshold=threshold)
            assert [s["id"] for s in got] == want, (probe_no, threshold)
            for s in got:
                assert s["similarity"] == pytest.approx(similarity(probe, saved[s["id"]][0]), abs=1e-3)
    some = next(iter(saved))
    assert store.memory_of(some) == saved[some][0]
    assert some not in [s["id"] for s in store.similar_incidents(saved[some][0], threshold=0.5, exclude=some)]
    # An all-clear is not remembered.
    quiet = store.save_incident(title="No problem found", category="other", diagnosis={}, fix=None, digest={})
    assert store.memory_of(quiet) is None


def test_an_older_database_gains_the_memory(tmp_path):
    from doctor.store import Store

    store = Store(old_sqlite_store(tmp_path / "old.db", "channel VARCHAR(40)"))
    fp = Fingerprint("oom", frozenset({"executor"}), frozenset({"00000000000000aa"}))
    first = store.save_incident(title="a", category="oom", diagnosis={}, fix=None, digest={}, memory=fp)
    assert [s["id"] for s in store.similar_incidents(fp, threshold=0.5)] == [first]
    assert store.memory_of("old1") is None and store.get_incident("old1")["title"] == "t"


TF = '''resource "aws_db_parameter_group" "postgres" {
  name   = "patient-postgres"
  family = "postgres16"

  parameter {
    name  = "max_connections"
    value = "100"
  }
}
'''
DIFF = '''--- a/terraform/patient/rds.tf
+++ b/terraform/patient/rds.tf
@@ -5,4 +5,4 @@
   parameter {
     name  = "max_connections"
-    value = "100"
+    value = "200"
   }
'''


def test_whether_a_fix_is_in_the_tree_is_read_from_the_file(tmp_path):
    tf = tmp_path / "terraform" / "patient" / "rds.tf"
    tf.parent.mkdir(parents=True)
    fix = {"target": {"file": "terraform/patient/rds.tf", "address": "aws_db_parameter_group.postgres",
                      "attribute": "parameter.max_connections"}, "diff": DIFF, "valid": True}
    tf.write_text(TF)
    assert fix_applied(fix, root=tmp_path) == "no"
    tf.write_text(TF.replace('"100"', '"200"'))
    assert fix_applied(fix, root=tmp_path) == "yes"
    tf.write_text(TF.replace('"100"', '"400"'))
    assert fix_applied(fix, root=tmp_path) == "unknown"  # changed, but not as proposed
    assert fix_applied(fix | {"target": {"file": "../etc/passwd"}}, root=tmp_path) == "unknown"
    assert fix_applied(None, root=tmp_path) == "unknown"
    tf.unlink()
    assert fix_applied(fix, root=tmp_path) == "unknown"


@pytest.mark.slow  # whole pipelines, fixes proven with the machine's terraform
def test_a_second_occurrence_says_seen_before_in_slack_and_in_the_report(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'd.db'}", terraform_dir=REPO / "terraform")
    store = pipeline.open_store(settings)
    runs = []
    for seed, password in ((1, "first-pw-AbC"), (2, "second-pw-XyZ"), (3, "third-pw-QrS")):
        d, g = occurrence(seed, password=password)
        result = pipeline.diagnose(g, settings=settings)
        runs.append((result, pipeline.save_incident(result, settings=settings, store=store)))
    (first, first_id), (_, second_id), (third, third_id) = runs
    assert first.history == []
    assert [s["id"] for s in third.history] == [second_id, first_id]  # newest first
    assert third.history[0]["category"] == "db_connections"
    # The fix proposed then is in the store; the tree still has the old value.
    assert third.history[0]["fix"] is not None and third.history[0]["applied"] == "no"

    line = memory_line(third.history)
    assert line.startswith(f"🧠 Seen 2 times before: last on {third.history[0]['created_at'][:10]} (incident {second_id})")
    assert "diagnosed as db_connections" in line and "max_connections" in line and "applied? no" in line

    blocks = diagnosis_blocks(third, incident_id=third_id, incident_url=lambda i: f"https://doc.example/incidents/{i}")
    texts = [b.get("text", {}).get("text", "") if b["type"] in ("section", "header") else
             " ".join(e["text"] for e in b.get("elements", []) if isinstance(e.get("text"), str)) for b in blocks]
    cause = next(i for i, t in enumerate(texts) if t.startswith("*Root cause:*"))
    # One context line right under the cause, linking the last occurrence.
    assert blocks[cause + 1]["type"] == "context"
    assert f"<https://doc.example/incidents/{second_id}|incident {second_id}>" in texts[cause + 1]
    assert len(blocks) == len(diagnosis_blocks(first, incident_id=first_id)) + 1
    assert not any("Seen" in t for t in texts[:cause])  # the diagnosis comes first

    from doctor.deliver.report import render_markdown, render_text

    assert "Seen 2 times before" in render_text(third) and "Seen 2 times before" in render_markdown(third)
    as_json = json.loads(json.dumps(third.to_dict(budget_tokens=1000)))  # `doctor analyze --format json`
    assert [x["id"] for x in as_json["seen_before"]] == [second_id, first_id]
    assert as_json["seen_before"][0]["fix_target"]["address"] == "aws_db_parameter_group.postgres"
    assert "Seen" not in render_text(first)
    # The report page's history of the first incident lists the later two.
    assert [s["id"] for s in pipeline.history_of(first_id, settings=settings, store=store)] == [third_id, second_id]


@pytest.mark.slow  # whole pipelines, fixes proven with the machine's terraform
def test_the_memory_says_when_the_on_call_judged_an_earlier_diagnosis_wrong(tmp_path):
    from doctor.deliver.pages import page

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'd.db'}", terraform_dir=REPO / "terraform")
    store = pipeline.open_store(settings)
    ids = []
    for seed, password in ((1, "first-pw-AbC"), (2, "second-pw-XyZ")):
        _, g = occurrence(seed, password=password)
        ids.append(pipeline.save_incident(pipeline.diagnose(g, settings=settings), settings=settings, store=store))
    store.record_verdict(incident_id=ids[0], user="U0ONCALL1", verdict="wrong", category="network_reset")
    store.record_verdict(incident_id=ids[1], user="U0ONCALL1", verdict="wrong", category="deploy_regression")
    store.record_verdict(incident_id=ids[1], user="U0ONCALL2", verdict="wrong", category="deploy_regression")
    _, g = occurrence(3, password="third-pw-QrS")
    third = pipeline.diagnose(g, settings=settings)
    third_id = pipeline.save_incident(third, settings=settings, store=store)
    line = memory_line(third.history)
    assert "That diagnosis was judged wrong by the on-call (it was deploy_regression)." in line
    assert line.endswith("1 earlier one was judged wrong.")
    # Judged right later, the line says so instead.
    store.record_verdict(incident_id=ids[1], user="U0ONCALL1", verdict="right")
    store.record_verdict(incident_id=ids[1], user="U0ONCALL2", verdict="right")
    again = pipeline.history_of(third_id, settings=settings, store=store)
    assert "That diagnosis was judged right by the on-call." in memory_line(again)
    # The report page: the incident's own verdicts, and a verdict column in its history.
    first = store.get_incident(ids[0])
    shown = page(first, alerts=[], history=pipeline.history_of(ids[0], settings=settings, store=store),
                 verdict=store.verdicts_for([ids[0]])[ids[0]])
    assert shown["verdict"].startswith("The on-call's verdict: 0 right, 1 wrong (it was network_reset)")
    assert [row["verdict_text"] for row in shown["history"]] == ["-", "judged right by the on-call"]


def test_an_all_clear_is_never_seen_before(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'd.db'}", terraform_dir=REPO / "terraform")
    store = pipeline.open_store(settings)
    quiet = [LogRecord(datetime(2026, 11, 3, 9, m, tzinfo=UTC), "file", f"2026-11-03 09:{m:02d}:00 INFO tick {m}",
                       {"service": "executor"}) for m in range(30)]
    for _ in range(2):
        result = pipeline.diagnose(pipeline.build(quiet, settings=settings), settings=settings)
        pipeline.save_incident(result, settings=settings, store=store)
        assert result.diagnosis.summary == NO_PROBLEM and result.history == []
