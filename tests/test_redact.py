import pytest

from doctor.digest import Redactor, build_digest

from .conftest import rec

# Secrets shaped like the real thing (AWS's documented example keys, Slack/GitHub formats).
CASES = [
    ("aws_access_key", "boto3 session with key AKIAIOSFODNN7EXAMPLE for region ap-northeast-2", "AKIAIOSFODNN7EXAMPLE"),
    ("aws_secret_key", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("slack_token", "slack_sdk.errors.SlackApiError: invalid_auth for xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "xoxb-123456789012"),
    ("slack_webhook", "posting to https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX failed", "T00000000/B00000000"),
    ("github_token", "git clone https://github.com/acme/x using ghp_16C7e42F292c6912E7710c838347Ae178B4a", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"),
    ("gitlab_token", "GITLAB_TOKEN glpat-xxxxXXXXxxxxXXXX1234 rejected", "glpat-xxxxXXXXxxxxXXXX1234"),
    ("google_api_key", "calling maps with AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe", "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe"),
    ("private_key", "key material -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY----- loaded", "MIIEowIBAAKCAQEA7"),
    ("jwt", "token rejected: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "dozjgNryP4J3jVmNHl0w5N"),
    ("auth_header", "upstream said 401 for Authorization: Bearer 8f14e45fceea167a5a36dedd4bea2543", "8f14e45fceea167a5a36dedd4bea2543"),
    ("auth_header", "Authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA=="),
    ("url_password", "sqlalchemy connecting to postgresql://trader:Sup3rS3cret@db.internal:5432/trading", "Sup3rS3cret"),
    ("credential", "settings loaded password=hunter2hunter2 region=ap-northeast-2", "hunter2hunter2"),
    ("credential", '{"api_key": "ak_live_51HqLyjWDarjtT1zdp7dc", "symbol": "BTC-USDT"}', "ak_live_51HqLyjWDarjtT1zdp7dc"),
    ("credential", "X-MBX-APIKEY: vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A", "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"),
    ("email", "order alert sent to trader.kim@example.co.kr", "trader.kim@example.co.kr"),
]


@pytest.mark.parametrize("kind,line,secret", CASES)
def test_each_kind_is_replaced_by_a_typed_placeholder(kind, line, secret):
    r = Redactor()
    out = r.redact(line)
    assert secret not in out
    assert f"<SECRET:{kind}:" in out
    assert r.counts[kind] >= 1


def test_same_secret_same_placeholder_within_a_run_and_not_across_runs():
    line = "login failed password=correct-horse-battery"
    a = Redactor(key=b"k" * 16)
    assert a.redact(line) == a.redact("retry password=correct-horse-battery").replace("retry", "login failed")
    b = Redactor(key=b"j" * 16)
    assert a.redact(line) != b.redact(line)


def test_plain_lines_pass_untouched_and_placeholders_are_not_redacted_again():
    r = Redactor()
    plain = "2026-11-20T09:00:00Z INFO executor.orders: order ord-1a2b filled buy 0.1 BTC-USDT at 67000.10"
    assert r.redact(plain) is plain
    once = r.redact("aws_access_key_id=AKIAIOSFODNN7EXAMPLE")
    assert r.redact(once) == once
    assert once.count("<SECRET:") == 1


def test_optional_kinds_only_when_asked():
    line = "connect to 10.40.11.23 as arn:aws:iam::123456789012:role/x"
    assert Redactor().redact(line) == line
    out = Redactor(extra=("ipv4", "aws_account_id")).redact(line)
    assert "10.40.11.23" not in out and "123456789012" not in out
    with pytest.raises(ValueError, match="unknown redaction kinds"):
        Redactor(extra=("phone",))


@pytest.mark.parametrize("kind,line,secret", CASES)
def test_gate_never_lets_a_secret_through(kind, line, secret):
    # might_hold_secret is the cheap test every line takes; it must be True whenever redact changes a line.
    r = Redactor()
    assert r.might_hold_secret(line)
    assert r.might_hold_secret(line.upper()) or r.redact(line.upper()) == line.upper()


def test_secrets_never_reach_the_digest():
    secret = "AKIAIOSFODNN7EXAMPLE"
    records = [rec(f"2026-11-20T09:00:0{i}Z ERROR boto: invalid key {secret} for call {i}", minute=i) for i in range(5)]
    records += [rec("2026-11-20T09:01:00Z INFO boto: retry with password=s3cr3t-value-1", minute=1)]
    digest = build_digest(records)
    rendered = digest.render(6000)
    every_text = rendered + "".join(t.text + "".join(t.exemplars) for t in digest.templates)
    assert secret not in every_text and "s3cr3t-value-1" not in every_text
    assert digest.redactions_made == 6
    assert "<SECRET:aws_access_key:" in rendered


@pytest.mark.parametrize("line", [
    "User: arn:aws:sts::1:assumed-role/x/y is not authorized to perform: secretsmanager:GetSecretValue on resource: z",
    "2015-10-18 18:01:48,963 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Executing with tokens:",
    "botocore: Signature expired: 20240101T000000Z is now earlier than 20240101T000500Z",
    "sha256:0f3a1c9e2b7d4a6f8e1c3b5d7f9a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5a",
])
def test_evidence_that_only_mentions_secrets_is_kept(line):
    assert Redactor().redact(line) == line


@pytest.mark.parametrize("line,secret", [
    ("db_password=hunter22 user=trader", "hunter22"),
    ('{"apiKey": "k3y-v4lue-123", "symbol": "BTC"}', "k3y-v4lue-123"),
    ("X-Api-Key: 9f8e7d6c5b4a", "9f8e7d6c5b4a"),
    ("client_secret='abcd1234efgh'", "abcd1234efgh"),
    ("PASSWD=topsecret99", "topsecret99"),
])
def test_credentials_by_name_in_any_case_and_position(line, secret):
    out = Redactor().redact(line)
    assert secret not in out and "<SECRET:credential:" in out
