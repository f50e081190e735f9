from doctor.digest import Redactor, build_digest
from doctor.sources import parallel
from doctor.sources.file import read_file, record_boundaries

TRACE = (
    "2026-11-20T09:{m:02d}:{s:02d}Z ERROR executor.loop: order loop crashed\n"
    "Traceback (most recent call last):\n"
    '  File "/app/executor/loop.py", line 88, in run\n'
    "    fill = exchange.place(order)\n"
    "requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='paper-exchange.internal', port=443): Read timed out.\n"
)


def _write_log(path, minutes=30):
    with path.open("w") as fh:
        for m in range(minutes):
            for s in range(0, 60, 2):
                fh.write(f"2026-11-20T09:{m:02d}:{s:02d}Z INFO collector.feed: tick BTC-USDT price=6700{s}.5 seq={m * 60 + s}\n")
                fh.write(f'10.40.1.{s} - - [20/Nov/2026:09:{m:02d}:{s:02d} +0000] "GET /orders/{m}{s} HTTP/1.1" 200 512 "-" "curl/8.5.0"\n')
                if m >= 20 and s % 10 == 0:
                    fh.write(TRACE.format(m=m, s=s))
                if s == 30:
                    fh.write(f'{{"timestamp":"2026-11-20T09:{m:02d}:{s:02d}Z","level":"INFO","service":"strategy","message":"signal hold for ETH-USDT","password":"p4ss{m}"}}\n')


def _summary(d):
    return sorted((t.text, t.count, t.level, t.first_seen, t.last_seen, tuple(sorted(t.services)), tuple(t.exemplars),
                   t.new, t.burst_ratio) for t in d.templates)


def test_parallel_digest_equals_the_serial_one(tmp_path, monkeypatch):
    log = tmp_path / "mixed.log"
    _write_log(log)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 20_000)  # many ranges, many cut points
    key = b"k" * 16
    par = parallel.digest_files([log], redactor=Redactor(key=key), workers=2)
    ser = build_digest(read_file(log), redactor=Redactor(key=key))
    assert _summary(par) == _summary(ser)
    assert par.render(2000) == ser.render(2000)
    assert par.redactions_made == ser.redactions_made == 30
    assert par.incident_start == ser.incident_start is not None


def test_cuts_never_split_a_traceback(tmp_path):
    log = tmp_path / "mixed.log"
    _write_log(log)
    cuts = record_boundaries(log, 40)
    data = log.read_bytes()
    assert cuts[0] == 0 and cuts[-1] == len(data) and cuts == sorted(set(cuts))
    for c in cuts[1:-1]:
        line = data[c:data.index(b"\n", c)]
        assert line[:1] not in (b" ", b"T", b"r"), line  # never inside a traceback
    whole = list(read_file(log))
    pieces = [r for a, b in zip(cuts, cuts[1:]) for r in read_file(log, byte_range=(a, b))]
    assert [(r.timestamp, r.message) for r in pieces] == [(r.timestamp, r.message) for r in whole]


def test_access_log_times_are_read(tmp_path):
    log = tmp_path / "nginx.log"
    log.write_text('10.0.0.1 - - [20/Nov/2026:09:15:02 +0900] "GET / HTTP/1.1" 200 1 "-" "curl/8"\n')
    (r,) = read_file(log)
    assert r.timestamp.isoformat() == "2026-11-20T00:15:02+00:00"
