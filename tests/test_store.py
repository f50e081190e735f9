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
