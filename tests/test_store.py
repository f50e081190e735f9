from datetime import UTC, datetime, timedelta

from .conftest import old_sqlite_store


def test_cache_round_trip_and_first_writer_wins(store):
    assert store.cache_get("k1") is None
    store.cache_put("k1", "gemini", {"category": "oom", "n": 1})
    store.cache_put("k1", "gemini", {"category": "tls", "n": 2})  # a second instance racing: ignored
    assert store.cache_get("k1") == {"category": "oom", "n": 1}


def test_spend_is_summed_per_utc_day(store):
    store.record_spend(provider="gemini", model="gemini-2.5-flash", input_tokens=1000, output_tokens=100, usd=0.25)
    store.record_spend(provider="bedrock", model="claude", input_tokens=10, output_tokens=10, usd=1.5)
    today = datetime.now(UTC).date()
    assert abs(store.spend_on(today) - 1.75) < 1e-9
    assert store.spend_on(today - timedelta(days=1)) == 0.0


def test_incidents_round_trip_with_unguessable_ids(store):
    a = store.save_incident(title="Executor OOM", category="oom", diagnosis={"category": "oom"},
                            fix={"diff": "--- a\n+++ b\n"}, digest={"lines_in": 10})
    b = store.save_incident(title="TLS", category="tls", diagnosis={"category": "tls"}, fix=None, digest={})
    assert a != b and len(a) >= 16
    got = store.get_incident(a)
    assert got["title"] == "Executor OOM" and got["fix"] == {"diff": "--- a\n+++ b\n"} and got["digest"] == {"lines_in": 10}
    assert store.get_incident(b)["fix"] is None
    assert store.get_incident("guess") is None


def test_ids_never_start_with_a_dash(monkeypatch):
    """`doctor fix --incident ID`: an id starting with "-" would read as a flag (1 in 64 draws did)."""
    import secrets

    from doctor.store.db import new_id

    draws = iter(["-dwCwAAAAAAAAAAA", "-x" * 8, "Kq3_AAAAAAAAAAAA"])
    monkeypatch.setattr(secrets, "token_urlsafe", lambda n: next(draws))
    assert new_id() == "Kq3_AAAAAAAAAAAA"


def test_a_job_key_is_claimed_once(store):
    assert store.claim_job("slack:analyze:t1", kind="analyze", request={"services": ["executor"]})
    assert not store.claim_job("slack:analyze:t1", kind="analyze", request={"services": ["other"]})
    store.set_job("slack:analyze:t1", status="done", detail="incident abc: oom")
    job = store.get_job("slack:analyze:t1")
    assert job["status"] == "done" and job["detail"] == "incident abc: oom" and '"executor"' in job["request"]


def test_latest_incident_of_a_channel(store):
    import time

    store.save_incident(title="old", category="tls", diagnosis={}, fix=None, digest={}, channel="C1")
    time.sleep(0.01)
    newest = store.save_incident(title="new", category="oom", diagnosis={}, fix=None, digest={}, channel="C1")
    store.save_incident(title="elsewhere", category="dns", diagnosis={}, fix=None, digest={}, channel="C2")
    assert store.latest_incident("C1")["id"] == newest
    assert store.latest_incident("C9") is None


def test_an_older_database_gains_new_nullable_columns(tmp_path):
    from doctor.store import Store

    store = Store(old_sqlite_store(tmp_path / "old.db"))
    assert store.get_incident("old1")["channel"] is None
    new = store.save_incident(title="n", category="tls", diagnosis={}, fix=None, digest={}, channel="C1")
    assert store.latest_incident("C1")["id"] == new


# -- the on-call's verdict ---------------------------------------------------------------------------

def _incident(store, category, provider, *, days_ago=0.0):
    """An incident as the pipeline records it, made `days_ago` old (the store stamps the current time)."""
    from sqlalchemy import update

    from doctor.store.db import incidents, iso

    incident_id = store.save_incident(title=f"{category} by {provider}", category=category,
                                      diagnosis={"category": category, "provider": provider}, fix=None, digest={})
    with store.engine.begin() as conn:
        conn.execute(update(incidents).where(incidents.c.id == incident_id)
                     .values(created_at=iso(datetime.now(UTC) - timedelta(days=days_ago))))
    return incident_id


def test_a_verdict_is_one_per_person_and_can_be_changed(store):
    oom = _incident(store, "oom", "offline")
    first = store.record_verdict(incident_id=oom, user="U1", verdict="right")
    assert first == {"incident_category": "oom", "provider": "offline", "previous": None, "previous_category": None}
    changed = store.record_verdict(incident_id=oom, user="U1", verdict="wrong", category="db_connections",
                                   note="pool exhausted, not memory")
    assert changed["previous"] == "right"
    (only,) = store.incident_verdicts(oom)
    assert (only["user_id"], only["verdict"], only["category"], only["note"]) == \
        ("U1", "wrong", "db_connections", "pool exhausted, not memory")
    assert only["updated_at"] >= only["created_at"]
    back = store.record_verdict(incident_id=oom, user="U1", verdict="right", category="tls", note="ignored")
    assert back["previous"] == "wrong" and back["previous_category"] == "db_connections"
    (only,) = store.incident_verdicts(oom)
    assert only["verdict"] == "right" and only["category"] is None and only["note"] is None  # right carries neither
    assert store.record_verdict(incident_id="no-such-incident", user="U1", verdict="right") is None
    assert store.incident_verdicts("no-such-incident") == []
    import pytest

    with pytest.raises(ValueError, match="right, wrong"):
        store.record_verdict(incident_id=oom, user="U1", verdict="maybe")


def test_verdicts_for_sums_up_each_incident(store):
    a, b, c, unjudged = (_incident(store, "oom", "offline") for _ in range(4))
    store.record_verdict(incident_id=a, user="U1", verdict="right")
    store.record_verdict(incident_id=a, user="U2", verdict="right")
    store.record_verdict(incident_id=a, user="U3", verdict="wrong", category="cache_memory")
    store.record_verdict(incident_id=b, user="U1", verdict="wrong", category="db_connections")
    store.record_verdict(incident_id=b, user="U2", verdict="wrong", category="timeout")
    store.record_verdict(incident_id=b, user="U3", verdict="wrong", category="db_connections")
    store.record_verdict(incident_id=c, user="U1", verdict="right")
    store.record_verdict(incident_id=c, user="U2", verdict="wrong", category="dns")
    got = store.verdicts_for([a, b, c, unjudged, "no-such-incident"])
    assert set(got) == {a, b, c}  # only incidents that have verdicts
    assert {k: v for k, v in got[a].items() if k != "last_at"} == \
        {"right": 2, "wrong": 1, "outcome": "right", "category": "cache_memory"}
    assert (got[b]["wrong"], got[b]["outcome"], got[b]["category"]) == (3, "wrong", "db_connections")  # most named
    assert got[c]["outcome"] == "split"
    assert store.verdicts_for([]) == {}


def test_stats_count_first_answers_per_category_and_provider_in_a_window(store):
    right_offline = _incident(store, "oom", "offline", days_ago=1)
    wrong_offline = _incident(store, "oom", "offline", days_ago=20)
    _incident(store, "oom", "offline", days_ago=2)  # never judged
    right_gemini = _incident(store, "oom", "gemini:gemini-3.5-flash", days_ago=3)
    old = _incident(store, "tls", "offline", days_ago=60)
    store.record_verdict(incident_id=right_offline, user="U1", verdict="right")
    store.record_verdict(incident_id=wrong_offline, user="U1", verdict="wrong", category="db_connections")
    store.record_verdict(incident_id=right_gemini, user="U2", verdict="right")
    store.record_verdict(incident_id=old, user="U2", verdict="wrong", category="dns")
    now = datetime.now(UTC)
    week = store.verdict_stats(now - timedelta(days=7))
    assert week == [
        {"category": "oom", "provider": "gemini:gemini-3.5-flash", "diagnosed": 1, "judged": 1, "right": 1, "wrong": 0},
        {"category": "oom", "provider": "offline", "diagnosed": 2, "judged": 1, "right": 1, "wrong": 0},
    ]
    month = {(s["category"], s["provider"]): s for s in store.verdict_stats(now - timedelta(days=30))}
    assert month["oom", "offline"] == {"category": "oom", "provider": "offline", "diagnosed": 3, "judged": 2,
                                      "right": 1, "wrong": 1}
    quarter = {(s["category"], s["provider"]): s for s in store.verdict_stats(now - timedelta(days=90))}
    assert quarter["tls", "offline"]["wrong"] == 1 and len(quarter) == 3


def test_judged_wrong_lists_the_misses_with_their_notes(store):
    miss = _incident(store, "oom", "offline", days_ago=1)
    hit = _incident(store, "tls", "offline")
    store.record_verdict(incident_id=miss, user="U1", verdict="wrong", category="db_connections",
                         note="the pool ran out")
    store.record_verdict(incident_id=miss, user="U2", verdict="wrong", category="db_connections")
    store.record_verdict(incident_id=hit, user="U1", verdict="right")
    (judged,) = store.judged_wrong()
    assert judged["incident"]["id"] == miss and judged["summary"]["category"] == "db_connections"
    assert judged["notes"] == ["the pool ran out"]
    assert store.judged_wrong(since=datetime.now(UTC) - timedelta(hours=1)) == []
