from datetime import UTC, datetime, timedelta


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
    import sqlite3

    from doctor.store import Store

    path = tmp_path / "old.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE incidents (id VARCHAR(32) PRIMARY KEY, created_at VARCHAR(32) NOT NULL, title TEXT NOT NULL,"
                " category VARCHAR(40) NOT NULL, diagnosis TEXT NOT NULL, fix TEXT, digest TEXT NOT NULL)")
    con.execute("INSERT INTO incidents VALUES ('old1', '2026-11-01T00:00:00+00:00', 't', 'oom', '{}', NULL, '{}')")
    con.commit()
    con.close()
    store = Store(f"sqlite:///{path}")
    assert store.get_incident("old1")["channel"] is None
    new = store.save_incident(title="n", category="tls", diagnosis={}, fix=None, digest={}, channel="C1")
    assert store.latest_incident("C1")["id"] == new
