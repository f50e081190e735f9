import pytest

from doctor.diagnose import OfflineAnalyzer
from doctor.diagnose.base import AnalysisContext
from doctor.diagnose.calibration import Calibration, load_calibration
from doctor.diagnose.catalog import CatalogError, load_catalog
from doctor.digest import build_digest
from doctor.models import CATEGORIES

from .conftest import rec

# What real software writes, one line per category (Linux kernel, psycopg2, redis-py, pika, botocore,
# ccxt, ECS, ALB target health, OpenSSL via Python, glibc resolver, requests, pydantic, SQLAlchemy...).
REAL = {
    "oom": "kernel: Out of memory: Killed process 2841 (python3) total-vm:1843212kB, anon-rss:1021044kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:2204kB oom_score_adj:0",
    "db_connections": 'psycopg2.OperationalError: connection to server at "patient-postgres.c1x2.ap-northeast-2.rds.amazonaws.com" (10.40.10.5), port 5432 failed: FATAL:  remaining connection slots are reserved for non-replication superuser connections',
    "cache_memory": "redis.exceptions.ResponseError: OOM command not allowed when used memory > 'maxmemory'.",
    "broker_connection": "pika.exceptions.AMQPConnectionError: (AMQPConnectorSocketConnectError: ConnectionRefusedError(111, 'Connection refused'),)",
    "cloud_throttling": "botocore.exceptions.ClientError: An error occurred (ThrottlingException) when calling the PutLogEvents operation (reached max retries: 4): Rate exceeded",
    "upstream_rate_limit": 'ccxt.base.errors.RateLimitExceeded: binance {"code":-1003,"msg":"Too much request weight used; current limit is 1200 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."}',
    "image_pull": "CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref 123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/patient/app:v1.9.0: 123456789012.dkr.ecr.ap-northeast-2.amazonaws.com/patient/app:v1.9.0: not found",
    "secrets_access": "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:patient/db-AbCdEf from secrets manager: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/patient-execution/4f1e is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:patient/db-AbCdEf because no identity-based policy allows the secretsmanager:GetSecretValue action status code: 400",
    "iam_permission": 'botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the PutObject operation: User: arn:aws:sts::123456789012:assumed-role/patient-collector-task/9c2d is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::patient-ticks/2026/11/20/ticks.parquet" because no identity-based policy allows the s3:PutObject action',
    "lb_health": "(service dashboard) (port 8000) is unhealthy in target-group patient-dashboard due to (reason Health checks failed with these codes: [502]).",
    "disk_full": "OSError: [Errno 28] No space left on device: '/tmp/ticks-20261120.parquet'",
    "tls": "ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1006)",
    "dns": "socket.gaierror: [Errno -3] Temporary failure in name resolution",
    "timeout": "requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='api.exchange.example', port=443): Read timed out. (read timeout=10)",
    "config_error": "pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings",
    "schema_migration": 'sqlalchemy.exc.ProgrammingError: (psycopg2.errors.UndefinedTable) relation "fills" does not exist',
    "network_reset": "ConnectionResetError: [Errno 104] Connection reset by peer",
    "clock_skew": "binance.exceptions.BinanceAPIException: APIError(code=-1021): Timestamp for this request is outside of the recvWindow.",
    "deploy_regression": "(service strategy) (deployment ecs-svc/4812339954123) deployment failed: tasks failed to start.",
    "other": '10.40.11.7:51234 - "GET /orders HTTP/1.1" 500 Internal Server Error',
}


def _digest(lines_by_minute):
    records = [rec(f"2026-11-20T09:{m:02d}:00Z INFO collector.feed: tick BTC-USDT price=67000.{m}", minute=m)
               for m in range(40)]
    for minute, text, service, level in lines_by_minute:
        records.append(rec(f"2026-11-20T09:{int(minute):02d}:30Z {level} {service}.app: {text}",
                           minute=minute + 0.5, service=service))
    records.sort(key=lambda r: r.timestamp)
    return build_digest(records)


def _analyze_errors(line, service):
    """The diagnosis of `line` logged as an error by `service` in each of the window's last ten minutes."""
    return OfflineAnalyzer().analyze(_digest([(m, line, service, "ERROR") for m in range(30, 40)]))


def test_catalog_covers_every_category_and_compiles():
    catalog = load_catalog()
    assert len(catalog) >= 25
    assert {s.category for s in catalog} == set(CATEGORIES)
    assert len({s.id for s in catalog}) == len(catalog)


def test_a_signature_names_what_its_words_often_meant_instead(tmp_path):
    # DNS's "no such host" was, in a third of the corpus's readable incidents, a name the setting got wrong: the
    # answer stays DNS and configuration is the close alternative, unless a deploy came first.
    line = "dial tcp: lookup api.example.com on 10.96.0.10:53: no such host"
    d = _analyze_errors(line, "api")
    assert (d.category, d.alternatives[:1], d.alternative_share) == ("dns", ["config_error"], 0.5)
    assert d.alternative_why == "what these words often meant in real incidents"
    after = OfflineAnalyzer().analyze(_digest([(m, line, "api", "ERROR") for m in range(30, 40)]),
                                      context=AnalysisContext(deploy_regression="v2 deployed at 09:29"))
    assert after.alternatives[:2] == ["deploy_regression", "config_error"]
    assert after.alternative_why == "a deploy came right before the errors"
    # The report (text and Markdown) gives the same reason.
    from doctor.deliver.report import render_markdown, render_text
    from doctor.pipeline import Result

    digest = _digest([(m, line, "api", "ERROR") for m in range(30, 40)])
    result = Result(digest=digest, diagnosis=OfflineAnalyzer().analyze(digest), fix=None)
    assert "Also considered: config_error (close: what these words often meant in real incidents)" in render_text(result)
    assert "Also considered: `config_error` (close: what these words often meant in real incidents)" in \
        render_markdown(result)
    # A catalog entry's `also` must name another known category.
    for also in ("sorcery", "dns"):
        bad = tmp_path / f"{also}.yaml"
        bad.write_text(f"- id: x\n  category: dns\n  also: {also}\n  patterns: ['x']\n  summary: s\n  root_cause: r\n")
        with pytest.raises(CatalogError, match="also must be another known category"):
            load_catalog(bad)


@pytest.mark.parametrize("category", sorted(REAL))
def test_real_messages_are_recognised(category):
    text = REAL[category]
    digest = _digest([(m, text, "executor", "ERROR") for m in range(25, 40) for _ in range(3)])
    d = OfflineAnalyzer().analyze(digest)
    assert d.category == category, (d.signature, d.summary)
    assert d.evidence and text[:40] in d.evidence[0].text
    assert d.provider == "offline"


def test_a_cause_beats_its_symptoms():
    lines = [(m, REAL["other"], "dashboard", "INFO") for m in range(25, 40) for _ in range(20)]
    lines += [(m, "FATAL:  sorry, too many clients already", "postgres", "ERROR") for m in range(25, 40)]
    d = OfflineAnalyzer().analyze(_digest(lines))
    assert d.category == "db_connections"
    assert "other" in d.alternatives


def test_a_cause_logged_at_info_still_beats_a_louder_symptom():
    # IIS writes its 500.19 page as an error and the reason on the next line with no level of its own.
    # Both go on all window long, so neither is new: by weight alone the ERROR lines would win.
    lines = [(m, "HTTP Error 500.19 - Internal Server Error", "iis", "ERROR") for m in range(40) for _ in range(5)]
    lines += [(m, "The requested page cannot be accessed because the related configuration data for the page is "
               "invalid.", "iis", "INFO") for m in range(40)]
    d = OfflineAnalyzer().analyze(_digest(lines))
    assert d.category == "config_error"
    assert d.signature == "config_file_invalid"
    assert "other" in d.alternatives


def test_a_burst_of_new_errors_beats_a_steady_old_warning():
    lines = [(m, "ConnectionResetError: [Errno 104] Connection reset by peer", "collector", "WARNING") for m in range(40)]
    lines += [(m, REAL["oom"], "executor", "ERROR") for m in range(30, 40)]
    d = OfflineAnalyzer().analyze(_digest(lines))
    assert d.category == "oom"
    assert d.alternatives[0] == "network_reset"


def test_quiet_logs_mean_no_problem_found():
    d = OfflineAnalyzer().analyze(_digest([]))
    assert d.summary == "No problem found" and d.category == "other" and not d.evidence


def test_unknown_errors_are_reported_as_such():
    d = OfflineAnalyzer().analyze(_digest([(m, "flux capacitor desynchronised on shard 7", "strategy", "ERROR")
                                           for m in range(30, 40)]))
    assert d.category == "other" and d.confidence <= 0.3
    assert "flux capacitor" in d.evidence[0].text


def test_infrastructure_causes_name_their_terraform_target():
    d = OfflineAnalyzer().analyze(_digest([(m, REAL["oom"], "executor", "ERROR") for m in range(30, 40)]))
    assert d.fix_hint == {"resource": "aws_ecs_task_definition", "attribute": "memory"}
    assert "service:executor" in d.affected_resources


def test_literal_prefixes_are_what_every_match_starts_with():
    from doctor.diagnose.catalog import literal_prefix

    assert literal_prefix(r"\bMemoryError\b") == "memoryerror"
    assert literal_prefix(r"exit(?:ed)? (?:with )?code:? 137") == "exit"
    assert literal_prefix(r"validation errors? for Settings") == "validation error"  # the s may be absent
    assert literal_prefix(r"Connection closed by server\.?.{0,20}redis") == "connection closed by server"
    assert literal_prefix(r"java\.lang\.OutOfMemoryError") == "java.lang.outofmemoryerror"
    assert literal_prefix(r"OOMKilled|exit code 137") == ""  # either may match: no common start
    assert literal_prefix(r"a[|]b") == "a" and literal_prefix(r"(a|b)c") == ""
    assert literal_prefix(r"\d+ retries") == "" and literal_prefix(r"^Traceback") == ""
    assert literal_prefix(r"(?i)Connection reset by peer") == "connection reset by peer"  # (?i) skipped


def test_the_prefix_shortcut_never_changes_a_match():
    """Every bundled pattern against every real message, in its own case and changed case, plus lines
    made of each prefix alone: the shortcut and the plain regex agree on all of them."""
    texts = [*REAL.values(), *(t.upper() for t in REAL.values()), *(t.swapcase() for t in REAL.values())]
    catalog = load_catalog()
    texts += [p + " x" for s in catalog for p in s.prefixes if p] + ["", "ſtatus 500 Kelvin K"]
    hits = 0
    for sig in catalog:
        for text in texts:
            plain = any(p.search(text) for p in sig.patterns)
            assert sig.matches(text, text.lower() if text.isascii() else None) == plain, (sig.id, text)
            hits += plain
    assert hits > len(REAL) * 3  # the corpus does exercise matches, not only misses


def test_case_is_part_of_a_pattern_a_lowercase_key_is_a_code_bug_not_missing_configuration():
    from doctor.diagnose.base import AnalysisContext

    env = _digest([(m, "KeyError: 'DATABASE_URL'", "executor", "ERROR") for m in range(30, 40)])
    assert OfflineAnalyzer().analyze(env).category == "config_error"
    bug = _digest([(m, "strategy.signals: KeyError: 'rsi_14'", "strategy", "ERROR") for m in range(30, 40)])
    d = OfflineAnalyzer().analyze(bug)
    assert d.category != "config_error"
    deployed = AnalysisContext(deploy_regression="strategy was deployed at 09:29, a minute before the errors began.")
    assert OfflineAnalyzer().analyze(bug, context=deployed).category == "deploy_regression"


def test_a_new_info_line_about_a_killed_container_beats_a_steady_old_warning():
    records = [rec(f"2026-11-20T09:{m:02d}:00Z INFO collector.feed: tick BTC-USDT price=67000.{m}", minute=m)
               for m in range(40)]
    records += [rec(f"2026-11-20T09:{m:02d}:20Z WARNING collector.aws: PutLogEvents: Rate exceeded, retrying",
                    minute=m + 0.3, service="collector") for m in range(40)]
    records += [rec(f"2026-11-20T09:{m:02d}:40Z INFO ecs-agent: Task stopped: Essential container exited: "
                    f"OOMKilled (exit code 137)", minute=m + 0.7, service="agent") for m in (31, 33, 35)]
    d = OfflineAnalyzer().analyze(build_digest(sorted(records, key=lambda r: r.timestamp)))
    assert d.category == "oom", (d.signature, d.summary)
    assert d.alternatives[:1] == ["cloud_throttling"]


def test_an_unrecognised_change_is_reported_even_without_errors():
    records = [rec(f"2026-11-20T09:{m:02d}:00Z INFO collector.feed: tick BTC-USDT price=67000.{m}", minute=m)
               for m in range(40)]
    records += [rec(f"2026-11-20T09:{m:02d}:40Z INFO edge: upstream pool drained, shedding load", minute=m + 0.7)
                for m in range(30, 40)]
    d = OfflineAnalyzer().analyze(build_digest(sorted(records, key=lambda r: r.timestamp)))
    assert d.category == "other" and d.summary.startswith("Unrecognised change: ")
    assert "shedding load" in d.evidence[0].text


def test_terms_are_words_and_camel_case_parts_without_ids():
    from doctor.diagnose.scorer import terms

    assert terms("java.lang.OutOfMemoryError at 0xdeadbeef in the pool-7f3a") >= {
        "java", "lang", "outofmemoryerror", "memory", "error", "pool"}
    assert not terms("at 0xdeadbeef the 7f3a") and not terms("")


# A toy term model: five dns documents said "resolver" (one also "stalled", one "upstream"); three
# timeout ones "stalled".
TOY_COUNTS = {"dns": {"resolver": 5, "stalled": 1, "upstream": 1}, "timeout": {"stalled": 3}}
TOY_DOCS = {"dns": 5, "timeout": 3}


def test_a_scorer_under_another_setting_scores_as_one_built_with_it():
    from doctor.diagnose.scorer import TermScorer

    base = TermScorer(TOY_COUNTS, TOY_DOCS, alpha=0.05, margin=2.0)
    built = TermScorer(TOY_COUNTS, TOY_DOCS, alpha=0.5, margin=4.0, support=3)
    moved = base.with_setting(alpha=0.5, margin=4.0, support=3)
    found = ["resolver", "stalled", "upstream"]
    assert moved.scores(found) == built.scores(found) != base.scores(found)
    assert (moved.alpha, moved.margin, moved.support) == (0.5, 4.0, 3)
    assert base.scores(found) == TermScorer(TOY_COUNTS, TOY_DOCS, alpha=0.05, margin=2.0).scores(found)  # untouched


def test_the_term_scorer_fills_in_when_no_signature_fires_and_other_needs_no_evidence_at_all():
    from doctor.diagnose.scorer import TermScorer

    scorer = TermScorer(TOY_COUNTS, TOY_DOCS, margin=2.0)
    stalled = _digest([(m, "resolver stalled for upstream pool", "edge", "ERROR") for m in range(30, 40)])
    d = OfflineAnalyzer(scorer=scorer, calibration=Calibration()).analyze(stalled)
    assert (d.category, d.signature, d.fix_hint) == ("dns", None, None)
    assert d.confidence <= 0.5 and d.alternatives == ["timeout"]  # the raw margin is modest by construction
    # What the on-call sees is how often the scorer's answers were right, measured without their own systems.
    shown = OfflineAnalyzer(scorer=scorer).analyze(stalled)
    top = scorer.answer(scorer.read(stalled))[0]
    assert shown.category == "dns" and shown.confidence == pytest.approx(
        load_calibration().for_scorer(d.confidence, top.log_odds), abs=0.01)
    assert "resolver" in d.root_cause and "resolver stalled" in d.evidence[0].text
    # Too close to the runner-up for the margin: an honest "other", with the category its words lean to as a
    # candidate (dns rests on two telling words, timeout on one).
    honest = OfflineAnalyzer(scorer=TermScorer(TOY_COUNTS, TOY_DOCS, margin=50.0)).analyze(stalled)
    assert (honest.category, honest.alternatives, honest.alternative_share) == ("other", ["dns"], 0.0)
    assert "leans toward dns" in honest.root_cause
    # A symptom that names no cause (an unhandled exception) is an "other" with the same candidates.
    trace = _digest([(m, "Unhandled exception: resolver stalled for upstream pool", "edge", "ERROR")
                     for m in range(30, 40)])
    traced = OfflineAnalyzer(scorer=TermScorer(TOY_COUNTS, TOY_DOCS, margin=50.0)).analyze(trace)
    assert (traced.category, traced.signature, traced.alternatives[-1:]) == ("other", "generic_traceback", ["dns"])
    # One telling word is not enough evidence, however lopsided the odds, nor a candidate.
    lone = _digest([(m, "resolver", "edge", "ERROR") for m in range(30, 40)])
    alone = OfflineAnalyzer(scorer=TermScorer(TOY_COUNTS, TOY_DOCS, margin=2.0, support=2)).analyze(lone)
    assert (alone.category, alone.alternatives) == ("other", [])
    # "other" as the scorer's favourite is no answer either.
    other = TermScorer({**TOY_COUNTS, "other": {"resolver": 40, "stalled": 40, "upstream": 40}}, {**TOY_DOCS, "other": 40})
    assert OfflineAnalyzer(scorer=other).analyze(stalled).category == "other"
    # A cause signature wins over the scorer, with its fix target.
    oom = _digest([(m, REAL["oom"] + " resolver", "executor", "ERROR") for m in range(30, 40)])
    assert OfflineAnalyzer(scorer=scorer).analyze(oom).category == "oom"


def test_the_bundled_term_model_speaks_the_category_vocabulary():
    from doctor.diagnose.scorer import load_scorer, terms

    scorer = load_scorer()
    assert scorer.counts and set(scorer.counts) <= set(CATEGORIES) and scorer.margin > 0
    assert all(v > 0 for c in scorer.counts.values() for v in c.values())
    # Wording no signature knows still points at its category (written for this test, not from the corpus).
    for text, category in [("worker process exceeded its memory reservation and was stopped", "oom"),
                           ("disk usage on volume data reached 100 percent, writes rejected", "disk_full"),
                           ("the certificate chain presented by the server is not trusted", "tls")]:
        assert scorer.scores(terms(text))[0].category == category, text


def test_terms_include_adjacent_word_pairs_but_not_across_stop_words():
    from doctor.diagnose.scorer import terms

    # Words under three letters are not words to the scorer, so a pair steps over them.
    assert {"connection reset", "reset peer", "space left", "left device"} <= (
        terms("Connection reset by peer") | terms("No space left on device"))
    assert "read config" not in terms("unable to read the config") and "unable read" in terms("unable to read the config")


def test_the_aws_sdks_wrapper_is_no_evidence_but_its_error_code_is():
    from doctor.diagnose.scorer import load_scorer, terms

    wrapped = terms("botocore.exceptions.ClientError: An error occurred (ValidationException) when calling the "
                    "PutItem operation (reached max retries: 4): One or more parameter values were invalid")
    assert {"validationexception", "validation", "parameter values"} <= wrapped
    assert not wrapped & {"botocore", "clienterror", "occurred", "calling", "operation", "putitem"}
    # Java's and Go's wrappers: the error code stays, the service, status and request ids go.
    java = terms("com.amazonaws.services.dynamodbv2.model.ConditionalCheckFailedException: The conditional request "
                 "failed (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; "
                 "Request ID: ABCDEF; Proxy: null)")
    assert "conditionalcheckfailedexception" in java
    assert not java & {"service", "amazondynamodbv2", "status", "status code", "proxy"}
    go = terms("operation error DynamoDB: PutItem, https response error StatusCode: 400, RequestID: ABC, HostID: x, "
               "api error ThrottlingException: Rate exceeded")
    assert {"throttlingexception", "rate exceeded"} <= go and not go & {"https", "response", "putitem", "dynamo"}
    # The same words outside the wrapper stay words.
    assert {"calling", "operation"} <= terms("the job failed calling an operation on the queue")
    # A client error no category owns is no longer read as throttling by the bundled model.
    scorer = load_scorer()
    assert scorer.answer(scorer.scores(wrapped)) == [] or scorer.scores(wrapped)[0].category != "cloud_throttling"


def test_the_deploy_is_a_close_alternative_when_a_cause_signature_answers():
    from doctor.diagnose.base import AnalysisContext
    from doctor.models import CLOSE_ALTERNATIVE

    env = _digest([(m, "KeyError: 'DATABASE_URL'", "executor", "ERROR") for m in range(30, 40)])
    deployed = AnalysisContext(deploy_regression="executor was deployed at 09:29, a minute before the errors began.")
    d = OfflineAnalyzer().analyze(env, context=deployed)
    assert d.category == "config_error"
    assert d.alternatives[0] == "deploy_regression" and d.alternative_share >= CLOSE_ALTERNATIVE
    alone = OfflineAnalyzer().analyze(env)
    assert alone.alternative_share < CLOSE_ALTERNATIVE  # nothing else has evidence


def test_a_dependency_refused_on_localhost_is_a_missing_address_with_the_dependency_close_behind():
    from doctor.models import CLOSE_ALTERNATIVE

    # The wording of the corpus case nodejs-redis-commander-wrong-env-var-econnrefused-localhost.
    local = _digest([(m, "setUpConnection Redis error Error: connect ECONNREFUSED 127.0.0.1:6379", "web", "ERROR")
                     for m in range(30, 40)])
    d = OfflineAnalyzer().analyze(local)
    assert d.category == "config_error" and "localhost" in d.summary
    assert d.alternatives[0] == "broker_connection" and d.alternative_share >= CLOSE_ALTERNATIVE
    assert d.fix_hint is None  # the dependency's capacity is not what to change
    remote = _digest([(m, "setUpConnection Redis error Error: connect ECONNREFUSED 10.0.3.7:6379", "web", "ERROR")
                      for m in range(30, 40)])
    d = OfflineAnalyzer().analyze(remote)
    assert d.category == "broker_connection" and d.alternative_share < CLOSE_ALTERNATIVE
    assert "localhost" not in d.summary
    # Dalli's words for a memcached it keeps failing to reach (corpus case
    # dalli-heroku-default-localhost-memcached-no-server-available): on localhost, the address setting again.
    dalli = [(m, "127.0.0.1:11211 is still down (for 152.533 seconds now)", "web", "ERROR") for m in range(30, 40)]
    d = OfflineAnalyzer().analyze(_digest(dalli))
    assert d.category == "config_error" and d.alternatives[0] == "cache_memory"
    elsewhere = [(m, "10.0.3.9:11211 is still down (for 152.533 seconds now)", "web", "ERROR") for m in range(30, 40)]
    assert OfflineAnalyzer().analyze(_digest(elsewhere)).category == "cache_memory"


def test_a_user_connection_limit_is_not_the_server_limit_and_proposes_no_max_connections_change():
    # The server-wide pattern "Too many connections" matches too; the user's own limit is the answer.
    lines = [(m, 'FATAL:  too many connections for role "app"', "api", "ERROR") for m in range(30, 40)]
    d = OfflineAnalyzer().analyze(_digest(lines))
    assert (d.signature, d.category, d.fix_hint) == ("db_user_connection_cap", "db_connections", None)
    server = [(m, "FATAL:  sorry, too many clients already", "api", "ERROR") for m in range(30, 40)]
    assert OfflineAnalyzer().analyze(_digest(server)).fix_hint["attribute"] == "max_connections"


def test_a_clock_that_is_off_comes_before_the_certificate_errors_it_causes():
    # Many TLS failures and one chrony line: the certificates look expired because the clock is wrong.
    tls = [(m, "x509: certificate has expired or is not yet valid", "api", "ERROR") for m in range(30, 40)]
    clock = [(31, "chronyd[812]: System clock wrong by -131072.5 seconds", "host", "WARNING")]
    d = OfflineAnalyzer().analyze(_digest(tls + clock))
    assert d.category == "clock_skew" and "tls" in d.alternatives
    # Without the clock's line the same errors stay a TLS problem.
    assert OfflineAnalyzer().analyze(_digest(tls)).category == "tls"


def test_a_health_check_on_a_port_the_service_does_not_listen_on_is_a_port_setting():
    from doctor.models import CLOSE_ALTERNATIVE

    # Fly.io's check and uvicorn's banner (corpus case flyio-findajob-uvicorn-8090-web-launch-internal-port-8080).
    lines = [(5, "Uvicorn running on http://0.0.0.0:8090 (Press CTRL+C to quit)", "api", "INFO")]
    lines += [(m, "Health check 'servicecheck-00-http-8080' on port 8080 has failed. Your app is not responding "
                  "properly.", "api", "ERROR") for m in range(30, 40)]
    d = OfflineAnalyzer().analyze(_digest(lines))
    assert d.category == "config_error" and "8080" in d.summary and "8090" in d.summary
    assert d.alternatives[0] == "lb_health" and d.alternative_share >= CLOSE_ALTERNATIVE
    # The service also listens on the checked port (a second listener for metrics): the check is not misaimed.
    both = lines + [(6, "Uvicorn running on http://0.0.0.0:8080 (Press CTRL+C to quit)", "api", "INFO")]
    assert OfflineAnalyzer().analyze(_digest(both)).category == "lb_health"
    # A request log's time is not a port (Rails: `Started GET "/" for ... at 2024-01-01 10:00:00`).
    rails = [(5, 'Started GET "/health" for 10.0.0.9 at 2024-01-01 10:00:00 +0000', "api", "INFO"), *lines[1:]]
    assert OfflineAnalyzer().analyze(_digest(rails)).category == "lb_health"
    # Another service's port says nothing about this one's.
    other = [(5, "Uvicorn running on http://0.0.0.0:8090 (Press CTRL+C to quit)", "worker", "INFO"), *lines[1:]]
    assert OfflineAnalyzer().analyze(_digest(other)).category == "lb_health"


def test_an_aws_endpoint_in_a_region_that_does_not_exist_is_a_region_setting():
    # The wording of corpus case lambda-update-lambda-action-wrong-region-na-east-1-eai-again.
    typo = [(m, "Error: getaddrinfo EAI_AGAIN lambda.na-east-1.amazonaws.com", "deploy", "ERROR") for m in range(30, 40)]
    d = OfflineAnalyzer().analyze(_digest(typo))
    assert d.category == "config_error" and "na-east-1" in d.summary
    assert d.alternatives[0] == "dns"
    real = [(m, "Error: getaddrinfo EAI_AGAIN lambda.eu-west-1.amazonaws.com", "deploy", "ERROR") for m in range(30, 40)]
    assert OfflineAnalyzer().analyze(_digest(real)).category == "dns"  # a real region: DNS it is
    # An availability zone where the region belongs (corpus case kube-aws-region-set-to-availability-zone,
    # https://github.com/coreos/coreos-kubernetes/issues/151).
    zone = [(m, "caused by: Post https://cloudformation.us-east-1a.amazonaws.com/: dial tcp: lookup "
                "cloudformation.us-east-1a.amazonaws.com: no such host", "deploy", "ERROR") for m in range(30, 40)]
    d = OfflineAnalyzer().analyze(_digest(zone))
    assert d.category == "config_error" and "availability zone of us-east-1" in d.summary


def test_a_url_looked_up_as_a_host_name_is_an_address_setting():
    # The wording of corpus cases filebeat-logstash-host-with-http-scheme-no-such-host and
    # redis-py-celery-app-broker-url-passed-as-hostname: the setting holds a URL where a host belongs.
    for line in ("Failed to connect to backoff(async(tcp://[http://logstash:5044]:5044)): lookup http://logstash:5044: "
                 "no such host",
                 "redis.exceptions.ConnectionError: Error -2 connecting to redis://redis:6379/0/6379. Name or service not known."):
        d = _analyze_errors(line, "worker")
        assert d.category == "config_error" and "URL" in d.summary, line
        assert d.alternatives[0] == "dns"
    # An HTTP client naming the URL it fetched, and the host it could not resolve: DNS it is.
    fetch = "Error connecting to https://api.example.com/v1: getaddrinfo ENOTFOUND api.example.com"
    assert _analyze_errors(fetch, "api").category == "dns"


def test_a_host_name_holding_an_at_sign_is_a_password_read_as_the_host():
    # The wording of corpus cases pgsync-connection-url-password-at-sign-host-resolution and
    # mailcow-logs-viewer-db-password-at-sign-host-parse: an unescaped `@` in the password split the URL inside it.
    for line in ('could not translate host name "x9@db_host" to address: Name does not resolve',
                 "dial tcp: lookup pa55@db on 127.0.0.11:53: no such host",
                 "Error: getaddrinfo ENOTFOUND s3cr3t@postgres"):
        d = _analyze_errors(line, "app")
        assert d.category == "config_error" and "password" in d.summary, line
        assert d.alternatives[0] == "dns"
    # A host name with no `@`, and an `@` after the name (a mail address in the same line): DNS it is.
    for line in ('could not translate host name "db_host" to address: Name does not resolve',
                 "dial tcp: lookup db on 127.0.0.11:53: no such host (ops@example.com paged)"):
        d = _analyze_errors(line, "app")
        assert d.category == "dns", line


def test_a_host_name_with_a_port_or_an_assignment_glued_to_it_is_an_address_setting():
    # The wording of corpus cases texecom2mqtt-mqtt-host-includes-port and
    # wazuh-agent-macos-launchctl-setenv-garbled-manager-address: the setting holds more than a host name.
    for line in ("2021-02-13 19:33:57 - ERROR: Unhandled rejection - Error: getaddrinfo ENOTFOUND core-mosquitto:1883",
                 "agent-auth: ERROR: Could not resolve hostname: 192.168.1.96=WAZUH_AGENT_GROUP=Mac",
                 "dial tcp: lookup ${DB_HOST} on 127.0.0.11:53: no such host"):
        d = _analyze_errors(line, "app")
        assert d.category == "config_error" and "no host name" in d.summary, line
        assert d.alternatives[0] == "dns"
    # A plain name, one a JSON string's escape follows, and a resolver that failed rather than said no: DNS it is.
    for line in ("Error: getaddrinfo ENOTFOUND mqtt.example.com",
                 '{"level":"error","msg":"fatal: unable to access: Could not resolve host: github.com\\n","x":1}',
                 "Error: getaddrinfo EAI_AGAIN core-mosquitto:1883"):
        d = _analyze_errors(line, "app")
        assert d.category == "dns", line


def test_warnings_that_are_not_routine_are_no_all_clear():
    from doctor.diagnose.scorer import TermScorer

    # An excerpt pasted from an incident with nothing above WARNING (archery's django-auth-ldap, from the corpus's
    # readable half): the warning is the evidence, not "No problem found".
    line = ("2022-03-30 13:44:30 WARNING backend: Caught LDAPError while authenticating 25391: SERVER_DOWN({'desc': "
            "\"Can't contact LDAP server\"})")
    # With no words to go on (an empty scorer), the answer names the warnings rather than an all-clear; the bundled
    # scorer may read a category into them, never an all-clear either.
    d = OfflineAnalyzer(scorer=TermScorer({}, {})).analyze(build_digest([rec(line)]))
    assert d.category == "other" and d.summary.startswith("No errors; unrecognised warnings: ")
    assert d.evidence and "LDAPError" in d.evidence[0].text
    assert OfflineAnalyzer().analyze(build_digest([rec(line)])).summary != "No problem found"
    # The same warning logged every minute of the window is the service's routine: the all-clear stays.
    steady = build_digest([rec(line.replace("13:44:30", f"13:{m:02d}:30"), minute=m) for m in range(40)])
    assert OfflineAnalyzer().analyze(steady).summary == "No problem found"


def test_the_scorer_reads_no_diagnosis_into_a_healthy_windows_routine():
    from doctor.diagnose.scorer import TermScorer

    scorer = TermScorer(TOY_COUNTS, TOY_DOCS, margin=1.0, support=2)
    # The same INFO line every minute of the window, nothing else wrong: routine, so "No problem found".
    steady = build_digest(sorted(
        [rec(f"2026-11-20T09:{m:02d}:00Z INFO edge.app: resolver upstream check stalled 0 times", minute=m)
         for m in range(40)], key=lambda r: r.timestamp))
    d = OfflineAnalyzer(scorer=scorer).analyze(steady)
    assert d.category == "other" and d.summary == "No problem found"
    # The same words pasted once, as an incident excerpt: read, and answered.
    once = build_digest([rec("2026-11-20T09:00:00Z INFO edge.app: resolver upstream check stalled 0 times")])
    assert OfflineAnalyzer(scorer=scorer).analyze(once).category == "dns"


def test_one_analysis_reads_the_evidence_words_once_whichever_path_asks():
    from doctor.diagnose.scorer import TermScorer

    class Counting(TermScorer):
        calls = 0

        def read(self, digest):
            Counting.calls += 1
            return super().read(digest)

    # Only a symptom fired and the scorer has no answer: the symptom's path, the runner-up's list and
    # the candidates of an "other" all want the scorer's reading.
    pages = _digest([(m, REAL["other"], "dashboard", "ERROR") for m in range(30, 40)]
                    + [(m, "resolver stalled for upstream pool", "edge", "ERROR") for m in range(30, 40)])
    d = OfflineAnalyzer(scorer=Counting(TOY_COUNTS, TOY_DOCS, margin=50.0)).analyze(pages)
    assert d.category == "other" and Counting.calls == 1


def _pool_exhausted():
    return _digest([(m, REAL["db_connections"], "strategy", "ERROR") for m in range(30, 40)])


def test_confidence_says_how_often_the_signature_was_right_in_real_incidents():
    # The same evidence and the same margin: a signature right in 40 of 40 real cases is shown surer than one
    # right in 8 of 40 (a message that often meant something else). The raw margin alone cannot tell them apart.
    weights = dict(prior=5.0, signature_weights=(0.0, 1.0, 0.0), scorer_weights=(0.0, 1.0))
    sig = OfflineAnalyzer().analyze(_pool_exhausted()).signature
    sure = OfflineAnalyzer(calibration=Calibration(signatures={sig: (40, 40), "x": (30, 40)}, **weights))
    doubtful = OfflineAnalyzer(calibration=Calibration(signatures={sig: (8, 40), "x": (30, 40)}, **weights))
    high, low = sure.analyze(_pool_exhausted()), doubtful.analyze(_pool_exhausted())
    assert high.category == low.category == "db_connections"
    assert high.confidence > 0.85 > 0.3 > low.confidence
    # A signature with no record starts at the precision of all signature answers.
    unknown = Calibration(signatures={"x": (30, 40)}, **weights)
    assert unknown.signature_precision("new") == pytest.approx(0.75)


def test_the_identity_calibration_shows_the_raw_margin():
    raw = OfflineAnalyzer(calibration=Calibration()).analyze(_pool_exhausted())
    assert 0.35 < raw.confidence <= 0.95
    assert Calibration().for_scorer(0.3, 12.0) == 0.3


def test_the_bundled_calibration_names_only_catalog_signatures_and_rewards_a_good_record():
    cal = load_calibration()
    assert cal.signatures and set(cal.signatures) <= {s.id for s in load_catalog()}
    assert all(0 <= right <= answered for right, answered in cal.signatures.values())
    assert cal.for_signature("x", 0.7) < cal.for_signature("x", 0.9)  # a wider margin never lowers it
    good = max(cal.signatures, key=lambda k: (cal.signature_precision(k), k))
    poor = min(cal.signatures, key=lambda k: (cal.signature_precision(k), k))
    assert cal.for_signature(poor, 0.8) < cal.for_signature(good, 0.8)
