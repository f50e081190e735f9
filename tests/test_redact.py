import pytest

from doctor.digest import Redactor, build_digest

from .conftest import rec
from .regex_bounds import MAX_ATTEMPT, attempt_cost

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
    # https://github.com/GoogleCloudPlatform/cloud-sql-proxy/issues/78: the words after `token:` are the cause
    "oauth2: cannot fetch token: Post https://accounts.google.com/o/oauth2/token: x509: failed to load system roots",
])
def test_evidence_that_only_mentions_secrets_is_kept(line):
    assert Redactor().redact(line) == line


@pytest.mark.parametrize("line,secret", [
    ("db_password=hunter22 user=trader", "hunter22"),
    ('{"apiKey": "k3y-v4lue-123", "symbol": "BTC"}', "k3y-v4lue-123"),
    ("X-Api-Key: 9f8e7d6c5b4a", "9f8e7d6c5b4a"),
    ("client_secret='abcd1234efgh'", "abcd1234efgh"),
    ("PASSWD=topsecret99", "topsecret99"),
    ("pass=hunter", "hunter"),  # a password may be a short word; a token only where the line's shape says so
    ("step 42 token=05abcd", "05abcd"),
    ('{"api_key": "ab12cd"}', "ab12cd"),
    ('api_key: "ab12cd"', "ab12cd"),
    ("DB_SECRET = 'hunter2'", "hunter2"),
    ("refresh token: 1//0gAbCdEf", "1//0gAbCdEf"),
])
def test_credentials_by_name_in_any_case_and_position(line, secret):
    out = Redactor().redact(line)
    assert secret not in out and "<SECRET:credential:" in out


# --- vendor formats, identifiers, blocks over several records, linear time ----------------------

import base64  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import yaml  # noqa: E402

from bench.corpus_data import is_held_out  # noqa: E402
from doctor.digest import redact as redact_module  # noqa: E402
from doctor.digest.secrets import CONTEXT_RULES, CREDENTIAL_AFTER, OPTIONAL_RULES, TOKEN_RULES  # noqa: E402

CORPUS = Path(__file__).parent / "corpus" / "secrets"
FORMATS = yaml.safe_load((CORPUS / "formats.yaml").read_text())["formats"]
IDENTIFIERS = yaml.safe_load((CORPUS / "identifiers.yaml").read_text())["identifiers"]


UNSEEN = yaml.safe_load((CORPUS / "unseen.yaml").read_text())


# The corpus's own split rule, on the format's name (the identifier's kind): rules come from the readable half.
UNSEEN_FORMATS = [f for f in UNSEEN["formats"] if not is_held_out(f["format"])]
UNSEEN_IDS = [i for i in UNSEEN["identifiers"] if not is_held_out(i["kind"])]


# Leaks left on purpose, each for a reason no rule should override. MinIO's generated access key (the thirteenth
# round) is 20 capitals and digits standing bare on a command line: the key's id, as AWS's access key id is, and the
# shape of many order and job ids; its secret key (40 characters) is caught. (The fourth round's X API key, a fake value
# a hair less random than the entropy rule asks of 22 characters, is caught since 2026-12-05 because the words before it
# name a key: a credential named in prose needs a little less randomness; the bar elsewhere is unchanged.)
# Countly's auth token (the fifty-fifth round) is stored as its record's `_id`, 40 hex: the field says identifier and
# the shape is a commit's; only the collection's name (`auth_tokens insert:`) says otherwise. BTCPay's pairing code
# (the sixty-fifth round) is seven base58 characters, shorter than any token the redactor judges: at that length a
# code, a word and an id look alike, and it expires after fifteen minutes. MaxKB's public chat link (the hundred and
# thirteenth round) carries its access token as a path segment of 16 hex, `/ui/chat/f96d1a6222b9b2b9`: the shape and
# place of a span id, a short container id or a record's id in a REST path, and `chat` names no credential.
KNOWN_LEAKS = {"MinIO generated access key (20 chars [0-9A-Z])",
               "Countly one-time/multi-use auth token (40 lowercase hex: sha1 of 16 random bytes + timestamp)",
               "BTCPay Server BitPay pairing code (exactly 7 Base58 chars, expires after 15 minutes)",
               "MaxKB application public access token (16 lowercase hex = MD5 of a uuid1 string, chars [8:24]; used in "
               "the public chat link)"}


@pytest.mark.parametrize("line,leaks", [
    ("403 Forbidden for consumer key nO9500k2eZZAzx900ElZJU", False),
    ("auth token nO9500k2eZZAzx900ElZJU rejected", False),
    ("cache key nO9500k2eZZAzx900ElZJU missed", True),  # a name of data, not a credential
    ("public key nO9500k2eZZAzx900ElZJU", True),
    ("for job nO9500k2eZZAzx900ElZJU", True),  # no credential word: the entropy rule's own bar
])
def test_a_credential_named_in_prose_needs_a_little_less_randomness(line, leaks):
    assert ("nO9500k2eZZAzx900ElZJU" in Redactor().redact(line)) is leaks


@pytest.mark.parametrize("case", UNSEEN_FORMATS, ids=[f["format"] for f in UNSEEN_FORMATS])
def test_no_format_of_the_unseen_corpus_readable_half_leaks(case):
    # The held-out half is measured by bench/redact.py only: rules are not written from it.
    leaked = case["secret"] in Redactor().redact(case["line"])
    assert leaked is (case["format"] in KNOWN_LEAKS), "caught now: take it off KNOWN_LEAKS" if not leaked else ""
    assert case["source"].startswith("https://") and case["documented"]


def test_the_known_leak_is_a_value_not_a_shape():
    from doctor.digest.redact import _looks_random

    assert _looks_random("xvz1evFS4wEEPTGEFPHBog")  # X's documented example of an API key
    assert "xvz1evFS4wEEPTGEFPHBog" not in Redactor().redact("for consumer key xvz1evFS4wEEPTGEFPHBog")


def test_a_key_named_public_is_kept_and_its_value_still_meets_the_vendor_rules():
    # The ninth round's readable half: AffiniPay's merchant public key (`m_...`) is made to be shown
    kept = "Zx8Kq2Lm9Np4Rs7Tv1Wy3Bc6Df0Gh5Jk"
    for line in (f"public_key=m_{kept} not enabled for ACH", f'"publishableKey": "pk_live_{kept}"',
                 f"PUBLIC-KEY: {kept}"):
        assert kept in Redactor().redact(line), line
    # a word that only ends in `public`, a secret named beside it, or a vendor's token under the name stays hidden
    for line in (f"nonpublic_key={kept}", f"public_key_secret={kept}", f"public_private_key={kept}",
                 "public_key=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"):
        redacted = Redactor().redact(line)
        assert kept not in redacted and "ghp_wWPw5k4a" not in redacted, line


def test_an_id_named_private_is_a_credential_and_its_public_twin_an_identifier():
    # The seventy-second round's readable half: Tailscale's logtail config holds a PrivateID (the credential that
    # writes a node's logs) beside its PublicID (the private one's SHA-256, the logs' name)
    private = "10bbaf2716ec84de82bd5d167b11df7177f5cf8bf534df08f136908e2c7c2470"
    public = "bb7d10fa73c9e911e9bc25a5a673adc32fd47eeb039c8eb4a0fa3d90cf6a61ea"
    redacted = Redactor().redact(f'tailscaled.log.conf: {{"PrivateID":"{private}","PublicID":"{public}"}}')
    assert private not in redacted and public in redacted
    for line in (f"private_id={private}", f"privateId: {private}"):
        assert private not in Redactor().redact(line), line
    for line in ("private_ip=10.0.0.12 on the private network", "private_identity=alice", "the private_id field is empty"):
        assert Redactor().redact(line) == line


def test_a_value_named_uid_is_an_identifier_unless_a_credential_is_named_beside_it():
    # The seventy-sixth round's readable half: Keeper Secrets Manager's record UIDs (16 random bytes, base64url) are
    # what its CLI and errors name a record by
    uid = "XVLVRE4IxWZUEZko-DVS1Q"
    for line in (f"$ ksm secret get --uid {uid} --field password", f"Could not find a record with the UID {uid}",
                 f'{{"recordUid": "{uid}"}}'):
        assert uid in Redactor().redact(line), line
    for line in (f"token uid {uid}", f"secret_uid={uid}"):
        assert uid not in Redactor().redact(line), line


def test_keystone_ids_in_openstack_request_context_are_identifiers():
    # The seventy-fifth round's readable half: oslo.context's `[req-<uuid> <user id> <project id> - <domains>]` at the
    # head of every OpenStack service's line; 32 hex after a closed bracket, or under no id, stays hidden
    user, project = "3f8e2c6a91d04b7e8c5a2f1d0b9e7c63", "a4c1e7d92b3f4a6e9d0c8b7a6f5e4d3c"
    line = (f"2026-10-04 09:13:02.118 31 INFO nova.api.openstack.requestlog [req-030a0396-dd13-4042-a43c-ee3c81c35f25 "
            f"{user} {project} - default default] 10.20.0.5 \"GET /v2.1/servers/detail\" status: 500")
    assert Redactor().redact(line) == line
    for line in (f"[req-030a0396-dd13-4042-a43c-ee3c81c35f25 - - - - -] token {project} rejected",
                 f"[job-030a0396-dd13-4042-a43c-ee3c81c35f25 {user} {project} -]"):
        assert project not in Redactor().redact(line), line


def test_a_uuid_right_after_the_word_token_is_a_credential_and_elsewhere_an_identifier():
    # npm's legacy tokens and Heroku's API keys are UUIDs (the fourth round's readable half)
    line = "npm ERR! Unable to authenticate, token d2696008-d03b-4244-aa93-52a156f57fd5 is a legacy token"
    assert "d2696008-d03b-4244-aa93-52a156f57fd5" not in Redactor().redact(line)
    for kept in ("request d2696008-d03b-4244-aa93-52a156f57fd5 failed", "token expired for d2696008-d03b-4244-aa93-52a156f57fd5",
                 "token d2696008-d03b-4244-aa93-52a156f57fd5x"):
        assert "d2696008-d03b-4244-aa93-52a156f57fd5" in Redactor().redact(kept), kept


def test_hex_after_a_vendor_prefix_is_judged_as_bare_hex_with_the_prefix_among_the_words_before_it():
    # Private Packagist's `packagist_uut_<60 hex + 8 hex checksum>` (the sixth round's readable half)
    key = "packagist_uut_86ee51ed50bfd867c57fac3d0257659d63120488bd80875f79196f33755e972fc707"
    assert key not in Redactor().redact(f"$ composer config --global --auth http-basic.repo.packagist.com token {key}")
    sha = "3f786850e387550fdab836ed7e6dc881de23001b"
    for kept in (f"restoring cache build_{sha}", f"checked out commit_{sha}", f"job_id=run_{sha}"):
        assert sha in Redactor().redact(kept), kept


def test_the_words_before_a_token_are_the_one_or_two_words_right_before_it():
    from doctor.digest.redact import _words_before

    def before(text):
        return _words_before(text + "<token>", len(text))

    assert before("Sentry event ") == ["sentry", "event"]
    assert before('API token "') == ["api", "token"] and before("Rejecting event $") == ["rejecting", "event"]
    assert before("processing  message\t") == ["processing", "message"]  # one or two spaces each
    assert before("a secret id ") == ["secret", "id"]  # two at most
    assert before("event   ") == [] and before("event") == []  # three spaces, or none, separate nothing
    assert before("x=job ") == ["job"] and before("2 job ") == ["job"]  # a word need not open its token
    assert before("rev  12 sha ") == ["sha"]  # a number between ends the words
    assert before("k" * 50 + " ") == ["k" * 40]  # the last 40 letters of a longer run
    assert before("z" * 40 + "  " + "y" * 40 + "  ") == ["z" * 40, "y" * 40]  # the most it reads: 84 characters
    # what it decides: a hex value after `commit` stays, after `secret id` it goes
    sha = "3f786850e387550fdab836ed7e6dc881de23001b"
    assert sha in Redactor().redact(f"HBase region commit {sha} assigned")
    assert sha not in Redactor().redact(f"vault secret id {sha} rejected")
    # behind a sigil: Matrix's event id (`$` and a hash) stays after `event`, a value after `token $` goes
    event = "Kq3xZ7vB2mN9pL4wR8tY1cF6hJ0dS5gA3eU7iO2kM9n"
    assert event in Redactor().redact(f"Rejecting event ${event} in !room:matrix.org: auth check failed")
    assert event not in Redactor().redact(f"refresh token ${event} rejected")


# Identifiers lost on purpose, each for a reason no rule should override. A short prefix before a hex body stays a
# key unless the words before it say id, since losing an id costs less than leaking a token (EasyPost's `shp_` and
# 32 hex, the tenth round, has the shape of Shopify's `shpat_` tokens; it is kept since 2026-12-06 because the word
# before it is `shipment`, a record's name like order and invoice). PostHog's project
# token (`phc_`, the fifteenth round) is public by design, but its line calls it a token and nothing in the text
# says public: the rule that hides a token so named is the one that hides everyone else's.
KNOWN_LOST = {"PostHog project API key / token (phc_, public client key)",
              # the eighty-sixth round's: Google Places' autocomplete session token is a billing session's id, but its
              # key, `sessionToken`, is the one AWS gives its temporary credentials' secret part: a value under a key
              # that names a token stays hidden
              "Google Places API (New) Autocomplete sessionToken (URL- and filename-safe base64, at most 36 ASCII "
              "chars)",
              # the eighty-seventh round's: Square's invoice id, `inv:0-` and a random tail, in a request's path; as
              # Radicle's `rad:` above, a short scheme before random letters is what `token:…` looks like, and a path
              # holds secrets too (a webhook's, a bot's token)
              "Square invoice ID (inv:0- prefix + generated string)",
              # the eighty-fourth round's: Radicle's repository id, `rad:` and base58 of a hash, reads as a random
              # credential after a scheme; a rule keeping whatever follows a short scheme would keep `token:…` too
              "Radicle Repository ID (RID; 'rad:' + multibase base58btc 'z' of the 20-byte identity Git object id)",
              # the seventy-first round's: a wheel's RECORD writes each file's digest as `sha256=` and unpadded
              # base64, the prefix and shape webhook signatures carry (Typeform's `sha256=` and 44 base64
              # characters, Jira's and Yousign's `sha256=` and hex): the rule that hides those hides this
              "Python wheel RECORD file hash (sha256= + unpadded urlsafe base64 of the SHA-256 digest, 43 chars)",
              # the same rule on the twenty-first round's: Alloy's evaluation token is an id by its vendor's word but
              # sits under `evaluation_token=`; RevenueCat's public SDK key under `apiKey:` and Lob's publishable key
              # under `lob_key=` are public by design, and their lines call them keys
              "Alloy evaluation token (L-/S- prefix marks production/sandbox)",
              "RevenueCat public SDK key (appl_ / goog_, public app-specific key)",
              "Lob publishable API key ([environment]_pub, public)",
              # the twenty-second round's: Cloudflare Turnstile's sitekey is public by design, under `sitekey=`
              "Cloudflare Turnstile sitekey (public, test form Nx000...XX)",
              # the thirty-first round's: an API key's id under `key_id`, hidden because a credential's id goes with
              # the credential (`private_key_id`, `secret_id`, `token_id`): the rule errs towards hiding
              "Hyperswitch API key ID (dev_/snd_/prd_ + 20 base62 nanoid; the non-secret key_id)",
              # the fifty-fifth round's: public tracker and SDK keys that their lines call keys (OpenReplay's
              # `projectKey=`, Countly's `app_key=`), hidden as the other public keys above are
              "OpenReplay project key (20 chars [0-9A-Za-z], public tracker key)",
              "Countly app key (40 lowercase hex, HMAC-SHA1; public key embedded in SDKs)",
              # the hundred and tenth round's: Razorpay's public key id under `key_id=`, hidden with its credential as
              # Hyperswitch's is above
              "Razorpay API key_id (rzp_<mode>_ + 14 random base62; public half used in Checkout, not the secret)",
              # the hundred and twelfth round's: Gradle's `Build cache key for task ':app:x' is <32 hex>`, a bare hex
              # string whose nearest word names no id (the cache's name is more than two words before it): the hex
              # rule hides such a string unless the words right before it say commit, digest or id
              "Gradle build cache key (default hash function MD5, 32 lowercase hex)",
              # the hundred and fifteenth round's: Mailgun's webhook nonce under `token=`, a value under a key that
              # names a token, hidden as Google's session token above is
              "Mailgun webhook signature token (random nonce, 50 chars; shown as lowercase hex in Mailgun's example)",
              # the hundred and sixteenth round's: ConfigCat's cache key, a SHA-1 in hex after redis' `GET`, a bare hex
              # string whose nearest word names no id, hidden as Gradle's above is
              "ConfigCat SDK config cache key (SHA-1 of '<sdkKey>_config_v6.json_v2', 40 lowercase hex)"}


@pytest.mark.parametrize("case", UNSEEN_IDS, ids=[i["kind"] for i in UNSEEN_IDS])
def test_identifiers_of_the_unseen_corpus_readable_half_survive(case):
    r = Redactor()
    kept = case["keep"] in r.redact(case["line"])
    assert kept is (case["kind"] not in KNOWN_LOST), "kept now: take it off KNOWN_LOST" if kept else ""
    hidden = r.total - r.counts["email"]  # a mail address beside the id (Exim's `<= user@host`) is hidden by design
    assert kept or hidden == 1
    assert not kept or hidden == 0


def test_a_labelled_value_under_an_id_key_is_kept_and_under_any_other_key_is_not():
    # The twenty-third round's readable half: Elastic's `cloud.id=<label>:<base64>` (its Cloud ID, which Beats log
    # when they connect); the same shape under a credential's key, or a key that names nothing, stays hidden.
    cloud_id = "prod-logs:ZXUtd2VzdC0xLmF3cy5mb3VuZC5pbyQ2MTBlM2FjYjI1ZWY3NTg0M2NiNzc2ZTJhMTg4YzQyNiRiMWI3MGNlNDNmMWNm"
    assert cloud_id in Redactor().redact(f"Connecting to backoff(elasticsearch) resolved from cloud.id={cloud_id}")
    body = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3A"
    for key in ("cloud.auth=elastic", "x=prod", "password=admin"):
        assert body not in Redactor().redact(f"connecting with {key}:{body}"), key


def test_a_value_under_a_number_key_is_an_identifier_unless_a_credential_word_is_beside_it():
    # The fifty-third round's readable half: WeChat Pay's merchant order number, `out_trade_no=` (letters and digits
    # of the merchant's choosing, which reads as random); `order_number`, `serial_num` are the same kind of key. A
    # credential's word in the key still hides the value.
    value = "Xq7Lm2Rt9Kz4Wp6Bv3Nc8"
    for key in ("out_trade_no", "order_number", "serial_num"):
        assert value in Redactor().redact(f"created JSAPI prepay order {key}={value} amount=1299"), key
    for key in ("secret_no", "token_number"):
        assert value not in Redactor().redact(f"created JSAPI prepay order {key}={value} amount=1299"), key


def test_a_hash_labelled_with_its_algorithm_is_a_secret_under_a_signature_key():
    # The fifty-eighth round's readable half: Yousign's webhook signature, `sha256=<64 hex>` under
    # `x_yousign_signature_256=`, stood as a digest by its label; GitHub's `X-Hub-Signature-256:` is the same form
    # (a keyed hash of the payload, made with the webhook's secret). The label alone still names a digest.
    digest = "15181abe29f4cb93f1178cf1ee7e5ffc733e83cde4cf14a7af0055ccb26a5e11"
    for line in (f'x_yousign_signature_256="sha256={digest}"', f"X-Hub-Signature-256: sha256={digest}",
                 f"request sig=sha256={digest}"):
        assert digest not in Redactor().redact(line), line
    for line in (f"file sha256={digest}", f"image digest: sha256={digest}", f"signature verified, body sha256={digest}",
                 f"design: sha256={digest}"):
        assert digest in Redactor().redact(line), line
    # The sixty-first round's readable half: Transloadit's error names the request's signature in prose, the label
    # with a colon (`The provided signature sha384:<96 hex>`); an image's digest so labelled stays, near the word or not.
    sha384 = "76c3df9c2fedc9be15692482a624e92f52e2087ebd8200975773645040e28effff1c9923702fc5b6c6857e5b2a09d538"
    assert sha384 not in Redactor().redact(f"INVALID_SIGNATURE: The provided signature sha384:{sha384} does not match")
    for line in (f"image digest: sha256:{digest}", f"cosign signature for ghcr.io/acme/api@sha256:{digest}",
                 f"pulled sha256:{digest}"):
        assert digest in Redactor().redact(line), line


def test_hex_under_a_key_that_names_a_credential_is_a_secret_whatever_words_stand_near_it():
    # The one hundred and fourth round's readable half: Cal.com's webhook signature (`x-cal-signature-256=<64 hex>`, an
    # HMAC of the body keyed with the webhook's secret) after `triggerEvent=`, whose "rev" the words nearby were searched
    # for as a revision's. The key's last word decides, its digits aside; a key that ends in an id's word keeps its hex.
    digest = "d09a544423d9ff213056e318fef406562aac348f5294adcb4c1bbb4fddcad5ae"
    for line in (f"triggerEvent=BOOKING_CREATED x-cal-signature-256={digest} (expected signature differs)",
                 f'previous webhook_secret: "{digest}"', f"trigger event authToken={digest}"):
        assert digest not in Redactor().redact(line), line
    for line in (f"triggerEvent=push commit_sha={digest}", f"previous request_id={digest}",
                 f"trigger event key_fingerprint={digest}", f"request cache_key={digest}",
                 f"request retried idempotency_key={digest}"):
        assert digest in Redactor().redact(line), line


def test_a_listings_cursor_named_token_is_kept_and_a_credential_named_token_is_not():
    # The one hundred and sixth round's readable half: Bandwidth's `pageToken=` cursor was hidden as a credential by
    # its name's last word. A token named for where a listing goes on (Google's `pageToken` and `nextPageToken`, AWS'
    # `NextToken`) opens nothing; the words of its name decide, read in the line's own case.
    cursor = "CiAKGjBpNDd2Nmp2Zml2cXRwYjBpOXA1"
    for line in (f"GET /users/9900000/messages?pageToken={cursor}&limit=50", f'{{"NextToken": "{cursor}=="}}',
                 f"nextPageToken={cursor}", f"list_objects continuation-token={cursor}"):
        assert cursor in Redactor().redact(line), line
    # A page's token spelled otherwise is Facebook's page access token, a credential.
    for line in (f"homepage_token={cursor}", f"refresh_token={cursor}", f"next_token_secret={cursor}",
                 f"Authorization: Bearer {cursor}", f"FB_PAGE_TOKEN={cursor}", f"page_token: {cursor}"):
        assert cursor not in Redactor().redact(line), line


def test_a_chat_widgets_user_hash_is_a_secret_and_an_issue_key_under_key_is_kept():
    # The fifty-ninth round's readable half: Intercom's identity-verification `user_hash` (an HMAC of the user's id
    # keyed with the workspace's secret) stood as a digest by its key; any other hash key still names a digest. Jira's
    # issue key under a field named `key` alone was hidden as a credential; a weak password there still is.
    digest = "44953d40f6bf321a870f6011695a25f2103d66330a914b227615e6ac918ebec8"
    for line in (f'intercomSettings={{"user_id":"cust_88213","user_hash":"{digest}"}}', f"user_hash={digest}"):
        assert digest not in Redactor().redact(line), line
    for line in (f'"file_hash":"{digest}"', f"superuser_hash={digest}"):
        assert digest in Redactor().redact(line), line
    for line, issue in (("linked build 2291 to issue key=PLAT-4821 (transition id=31 Done)", "PLAT-4821"),
                        ('{"key": "OPS-12", "fields": {}}', "OPS-12")):
        assert issue in Redactor().redact(line), line
    for line in ("key=hunter2", "key=PLAT-4821x", "api_key=PLAT-4821"):
        assert "<SECRET:" in Redactor().redact(line), line


def test_an_invitation_links_token_is_a_secret_and_an_invoice_id_is_kept():
    # The sixty-fifth round's readable half: Lago mails an invitation whose link carries its one-time token, 40 hex
    # a commit could have; BTCPay names an invoice by a random base58 id in prose. A link segment that is a word, a
    # UUID or an id under any other path stays; a token after the word invoice is still hidden by its own words.
    token = "19c0a5e243a91ba08ed33aced1e6a2f2374cb763"
    for line in (f"Delivered mail invite: https://app.getlago.com/invitation/{token}",
                 "GET /reset-password/Zq8VtL2mX9rB4nKc7Hs1WdYp3Ef6Ga0J HTTP/1.1"):
        assert "<SECRET:" in Redactor().redact(line), line
    for line, kept in ((f"checkout https://github.com/acme/api/commit/{token}", token),
                       ("GET /invitation/accepted-by-the-organization-owner", "accepted-by-the-organization-owner"),
                       ("GET /invitations/0f8fad5b-d9cb-469f-a165-70867728950e", "0f8fad5b-d9cb-469f-a165-70867728950e"),
                       ("info: PayServer: Invoice 71M46c5pApnMzGo7fosiv7 new event: invoice_paidInFull",
                        "71M46c5pApnMzGo7fosiv7")):
        assert kept in Redactor().redact(line), line
    assert "Zq8VtL2mX9rB4nKc7Hs1WdYp3Ef6Ga0J" not in Redactor().redact("invoice token Zq8VtL2mX9rB4nKc7Hs1WdYp3Ef6Ga0J")


def test_a_shipments_id_and_an_oidc_subject_are_kept():
    # Readable losses of the tenth and fifty-first rounds: EasyPost names a shipment by `shp_` and 32 hex in prose, as
    # an order or an invoice is named; OpenID Connect's `sub` (Frappe's user id) is the user's id at its issuer. A token after
    # the word payment, and a secret under a key that only contains the letters sub, are still hidden.
    for line, kept in (("ERROR label purchase failed for shipment shp_f1c94a0b6e2d4c8f9a7b3e5d1c0f2a4b: "
                        "SHIPMENT.POSTAGE.FAILURE", "shp_f1c94a0b6e2d4c8f9a7b3e5d1c0f2a4b"),
                       ("userinfo served sub=3f1a9c0d7b2e4f6a8c1d3e5f7a9b0c2d4e6f8a1 client_id=mobile-app",
                        "3f1a9c0d7b2e4f6a8c1d3e5f7a9b0c2d4e6f8a1")):
        assert kept in Redactor().redact(line), line
    for line in ("payment token Zq8VtL2mX9rB4nKc7Hs1WdYp3Ef6Ga0J declined", "sub_secret=Zq8VtL2mX9rB4nKc7Hs1WdYp3Ef6Ga0J"):
        assert "Zq8VtL2mX9rB4nKc7Hs1WdYp3Ef6Ga0J" not in Redactor().redact(line), line


def test_an_idempotency_key_names_a_request_and_is_kept():
    # The tenth round's readable half: Alpaca's `Idempotency-Key:` header, Worldline's `idempotenceKey=`
    for line, value in (("POST /v1/journals -> 422 Idempotency-Key: ", "01a241c0-7ef8-74e0-a2d1-29c5587110c4"),
                        ("CreatePayment 409 Conflict idempotenceKey=", "r7gK3oZRNcsBX68DSTctQSRur5Ps8Ys7c3xmW6HK"),
                        ("retrying with idempotency_key=", "Zx8Kq2Lm9Np4Rs7Tv1Wy3Bc6Df0Gh5Jk")):
        assert value in Redactor().redact(line + value), line
    # a vendor's token under the name, or a secret named beside it, stays hidden
    for line in ("idempotency_key=sk_live_51HcTlmKw2Ue8xZq3V4bC7dE9fG0hJ1kL2mN3pQ4rS5tU6",
                 "idempotency_secret_key=Zx8Kq2Lm9Np4Rs7Tv1Wy3Bc6Df0Gh5Jk"):
        assert Redactor().redact(line).count("<SECRET:") == 1, line


def test_a_truncated_or_masked_key_is_the_part_shown_and_is_kept():
    # The fortieth round's readable half: WooCommerce's `truncated_key`, the last 7 characters of a consumer key
    for line, value in (("REST API key id=14 truncated_key=", "a3f9c01"), ("api key revoked, masked_key: ", "Xq7Lm2Np")):
        assert value in Redactor().redact(line + value), line
    # a whole vendor token under the name, or a secret named beside it, stays hidden
    for line in ("masked_key=sk_live_51HcTlmKw2Ue8xZq3V4bC7dE9fG0hJ1kL2mN3pQ4rS5tU6",
                 "truncated_secret_key=Zx8Kq2Lm9Np4Rs7Tv1Wy3Bc6Df0Gh5Jk"):
        assert Redactor().redact(line).count("<SECRET:") == 1, line


def test_the_unseen_corpus_is_split_by_its_fixed_rule():
    assert len(UNSEEN["formats"]) >= 60 and len(UNSEEN_FORMATS) >= 25
    # the held-out half is kept beside it, for bench/redact.py to measure
    assert len(UNSEEN["formats"]) - len(UNSEEN_FORMATS) >= 25
    assert len({f["format"] for f in UNSEEN["formats"]}) == len(UNSEEN["formats"])


@pytest.mark.parametrize("line,secret", [
    # any scheme of an Authorization header (github.com/fluent/fluent-bit's Splunk output sends `Splunk <token>`)
    ("POST /services/collector Authorization: Splunk 6f0b2c1e-8d7a-4c3b-9e5f-1a2b3c4d5e6f -> 403",
     "6f0b2c1e-8d7a-4c3b-9e5f-1a2b3c4d5e6f"),
    ('headers={"Authorization": "GenieKey 3c9d1e2f4a5b6c7d8e9f0a1b"}', "3c9d1e2f4a5b6c7d8e9f0a1b"),
    # a lower-case key after a vendor's prefix: 20+ random characters after one that says key, 32+ after any
    ("sdk = CheckoutSdk.builder().secret_key('sk_sbox_q3k7m2x9p4w8r5t1v6n0b2c4d7')", "sk_sbox_q3k7m2x9p4w8r5t1v6n0b2c4d7"),
    ("X-Vendor-Team: abcd_zx2dfncqu4n7jf7agstnbc6om835p9lbhjmcfw", "abcd_zx2dfncqu4n7jf7agstnbc6om835p9lbhjmcfw"),
    # a credential under a key whose words say so, even when another word says id
    ('"private_key_id": "Qm9vcGxlUmFuZG9tS2V5SWQxMjM0NTY3ODlBQkM"', "Qm9vcGxlUmFuZG9tS2V5SWQxMjM0NTY3ODlBQkM"),
    ("session_id: 7fGq2LxZ9pWm4NcR8vTb1KdY6sHj3AeU", "7fGq2LxZ9pWm4NcR8vTb1KdY6sHj3AeU"),
    # a random segment in a path with a UUID in it is still a secret
    ("GET /v1/0b8f2e4a-1c3d-4e5f-8a9b-0c1d2e3f4a5b/Xk9Qw2Zr7Lm4Np8Vt3Bs6Hd1Fg5Jc0Ky HTTP/1.1",
     "Xk9Qw2Zr7Lm4Np8Vt3Bs6Hd1Fg5Jc0Ky"),
    # the id of a credential is the credential: Vault's AppRole secret id, a session id, in prose too
    ("approle login failed: secret id 8f14e45fceea167a5a36dedd4bea2543 is invalid", "8f14e45fceea167a5a36dedd4bea2543"),
    ("restored session id 2Zx9YpQr7sLkM3nB8vC1dF4gH6jK from cookie", "2Zx9YpQr7sLkM3nB8vC1dF4gH6jK"),
    ("using job token 2Zx9YpQr7sLkM3nB8vC1dF4gH6jK", "2Zx9YpQr7sLkM3nB8vC1dF4gH6jK"),
    ("password=arn:Xy9kLm2pQr7sTu4vWx8yZa1bCd5eFg", "arn:Xy9kLm2pQr7sTu4vWx8yZa1bCd5eFg"),  # not an ARN's shape
    # a random segment beside a ULID segment is still a secret
    ("POST /hooks/01HGW2N7EHJZ5X3Q8K9M4T6V1B/Xk9Qw2Zr7Lm4Np8Vt3Bs6Hd1Fg5Jc0Ky", "Xk9Qw2Zr7Lm4Np8Vt3Bs6Hd1Fg5Jc0Ky"),
])
def test_secrets_by_shape_and_scheme(line, secret):
    assert secret not in Redactor().redact(line)


@pytest.mark.parametrize("line,keep", [
    ("Authorization: Required credentials missing for /admin", "Required credentials missing"),
    # identifiers by the key they are written under, or by the hash algorithm they name
    ("rotated token graphql_id=QWdlbnRUb2tlbi0tLTAxOGY3YjJlLWE1ZGItNDcz cluster=default",
     "QWdlbnRUb2tlbi0tLTAxOGY3YjJlLWE1ZGItNDcz"),
    ('"x-amz-id-2": "Lr4mF9kQ2zXw8NcT1vBp6YhJ3sGd0AeU7iOq5RtKyWnMbVxCzHf"', "Lr4mF9kQ2zXw8NcT1vBp6YhJ3sGd0AeU7iOq5RtKyWnMbVxCzHf"),
    ("go.sum mismatch: h1:Qx7bK2mZ9pLw4NcR8vTb1KdY6sHj3AeU5fGq0XyWo=", "Qx7bK2mZ9pLw4NcR8vTb1KdY6sHj3AeU5fGq0XyWo="),
    ('"integrity": "sha512-Zx8Lq2Wm9Pk4Nr7Vt1Bs6Hd3Fg5Jc0KyQa8Xe2Rw4Tu6Yi9Op1As3Df5Gh7Jk9Lz=="',
     "sha512-Zx8Lq2Wm9Pk4Nr7Vt1Bs6Hd3Fg5Jc0KyQa8Xe2Rw4Tu6Yi9Op1As3Df5Gh7Jk9Lz=="),
    # an Azure resource id: the UUID is an identifier, the rest a path
    ("resourceId=/subscriptions/0b8f2e4a-1c3d-4e5f-8a9b-0c1d2e3f4a5b/resourceGroups/rg-prod/providers/"
     "Microsoft.Compute/virtualMachines/vm-api-03", "0b8f2e4a-1c3d-4e5f-8a9b-0c1d2e3f4a5b/resourceGroups/rg-prod"),
    # a ULID object id after a prefix that does not say key (Paddle's customer ids)
    ("customer ctm_01h8441jn5pcwrfhwh78jqt8hk updated", "ctm_01h8441jn5pcwrfhwh78jqt8hk"),
    # identifiers named by the word right before them, in prose: Sentry's 32-hex event ids, a job's hash,
    # Segment's KSUIDs, IPFS content ids
    ("Sentry event 4f2c1a9e8b7d4c3a9f1e2d3c4b5a6978 sent", "4f2c1a9e8b7d4c3a9f1e2d3c4b5a6978"),
    # `sid` outside a Cookie header: Twilio's call id, a Windows security id
    ("twilio webhook CallSid=CA5f3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d status=completed", "CA5f3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d"),
    ("logon failed sid=S-1-5-21-3623811015-3361044348-30300820-1013", "S-1-5-21-3623811015-3361044348-30300820-1013"),
    ("job 8f14e45fceea167a5a36dedd4bea2543 failed after 3 attempts", "8f14e45fceea167a5a36dedd4bea2543"),
    ("processing message ksuid 0ujtsYcgvSTl8PAuAdqWYSMnLOv", "0ujtsYcgvSTl8PAuAdqWYSMnLOv"),
    ("ipfs: cid QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG not found", "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"),
    # a ULID that is a whole path segment (a REST resource's id), and a commit after git's checkout
    ("GET /api/v1/orders/01HGW2N7EHJZ5X3Q8K9M4T6V1B HTTP/1.1 404", "/api/v1/orders/01HGW2N7EHJZ5X3Q8K9M4T6V1B"),
    ("git checkout 3f786850e387550fdab836ed7e6dc881de23001b", "3f786850e387550fdab836ed7e6dc881de23001b"),
    # an AWS resource name under a key's name names a key, it does not hold one (the seventh round's readable half)
    ('{"msg":"decrypt failed","kms_key":"arn:aws:kms:eu-west-1:240512682865:key/12da47f6-8090-4d6e-aaf3-31d66326523f"}',
     "arn:aws:kms:eu-west-1:240512682865:key/12da47f6-8090-4d6e-aaf3-31d66326523f"),
])
def test_identifiers_by_key_hash_label_and_shape_survive(line, keep):
    r = Redactor()
    assert keep in r.redact(line)
    assert r.total == 0


def test_the_corpus_covers_at_least_60_vendor_formats():
    assert len({f["format"] for f in FORMATS}) >= 60
    assert len({f["kind"] for f in FORMATS}) >= 60


@pytest.mark.parametrize("case", FORMATS, ids=[f["format"] for f in FORMATS])
def test_no_vendor_format_leaks(case):
    r = Redactor()
    out = r.redact(case["line"])
    assert case["secret"] not in out
    assert f"<SECRET:{case['kind']}:" in out
    assert r.might_hold_secret(case["line"])


@pytest.mark.parametrize("case", IDENTIFIERS, ids=[i["kind"] for i in IDENTIFIERS])
def test_identifiers_a_diagnosis_needs_survive(case):
    r = Redactor()
    assert case["keep"] in r.redact(case["line"])
    assert r.total == 0


def test_every_token_rule_names_its_source_and_matches_its_prefixes():
    for rule in TOKEN_RULES:
        assert rule.source.startswith("https://"), rule.kind
        assert rule.prefixes and all(len(p) >= 2 for p in rule.prefixes), rule.kind
        re.compile(rule.pattern)
    for kind, _gate, _pattern, _group, source in CONTEXT_RULES:
        assert kind == "credential" or source.startswith("https://"), kind


def test_unknown_high_entropy_tokens_are_secrets_by_alphabet():
    rng = random.Random(5)
    b64 = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(40))
    hexed = "".join(rng.choice("0123456789abcdef") for _ in range(40))
    r = Redactor()
    assert b64 not in r.redact(f"vendor handshake used {b64} for upload")
    assert hexed not in r.redact(f"signing payload with {hexed}")
    # The same hex string is a commit where the line says so; entropy alone does not decide.
    assert hexed in r.redact(f"deployed commit {hexed} to prod")
    assert r.counts["high_entropy"] == 2
    assert Redactor(entropy=False).redact(f"vendor handshake used {b64}").endswith(b64)


def test_a_key_behind_a_prefix_nobody_listed_is_a_secret_but_object_ids_stay():
    """A vendor's `word_` prefix before 32+ random characters is a key whoever the vendor is; an
    object id's prefix stands before fewer (Stripe's charges, requests), and a generated name in a
    path is neither."""
    rng = random.Random(11)
    base62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    unknown = "acme_" + "".join(rng.choice(base62) for _ in range(36))
    keyish_hex = "live_" + "".join(rng.choice("0123456789abcdef") for _ in range(36))
    r = Redactor()
    assert unknown not in r.redact(f"INFO client configured with {unknown} for upstream")
    assert keyish_hex not in r.redact(f"shipping label api key {keyish_hex}")
    assert r.counts["high_entropy"] == 2
    kept = ["stripe: charge ch_3lkrCaqx9vJupc94tnwlavyf succeeded",
            # real lines (tests/corpus): a role name and an index name after a prefix, behind a `/`
            "error=\"User: arn:aws:sts::<my account_id>:assumed-role/eksctl-myclustername-nodegroup-li-"
            "NodeInstanceRole-PP7XWJ1Q1DWU/i-01083ed00c1fdfdff6 is not authorized\"",
            "index [jaeger-span-2018-01-25/xcVS2i4VQh6fZ8LsytrXgw] already exists"]
    for line in kept:
        assert Redactor().redact(line) == line


def _pem(rng: random.Random) -> list[str]:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    body = ["".join(rng.choice(alphabet) for _ in range(64)) for _ in range(6)] + ["Qk9EWQ=="]
    return ["-----BEGIN RSA PRIVATE KEY-----", *body, "-----END RSA PRIVATE KEY-----"]


def test_a_private_key_split_over_records_is_redacted_line_by_line():
    rng = random.Random(11)
    pem = _pem(rng)
    records = [rec(f"2026-11-20T09:00:00Z app: loading key {pem[0]}", minute=0)]
    records += [rec(line, minute=0.01 * i) for i, line in enumerate(pem[1:], 1)]
    records += [rec("2026-11-20T09:01:00Z INFO app: Zm9vYmFy is not a key here", minute=1)]
    assert pem[-2] == "Qk9EWQ=="
    digest = build_digest(records)
    every_text = "".join(t.text + "".join(t.exemplars) for t in digest.templates) + digest.render(6000)
    for body_line in pem[1:-1]:
        assert body_line not in every_text
    assert "-----END RSA PRIVATE KEY-----" in every_text  # the markers say what was there
    assert "Zm9vYmFy is not a key here" in every_text  # the block ended at END
    # The short last body line carries no entropy: only the block state catches it.
    r = Redactor()
    for line in pem[:-2]:
        r.redact(line, "svc")
    assert "Qk9EWQ==" not in r.redact("Qk9EWQ==", "svc")
    assert r.redact("Zm9vYmFy", "other-stream") == "Zm9vYmFy"


def test_a_block_without_end_is_given_up_after_a_bounded_number_of_lines():
    r = Redactor()
    r.redact("-----BEGIN PRIVATE KEY-----", "s")
    lines = [r.redact("Zm9vYmFy", "s") for _ in range(redact_module.MAX_BLOCK_LINES + 5)]
    assert all("<SECRET:private_key:" in x for x in lines[: redact_module.MAX_BLOCK_LINES])
    assert lines[-1] == "Zm9vYmFy"
    for i in range(redact_module.MAX_OPEN_BLOCKS + 10):
        r.redact("-----BEGIN PRIVATE KEY-----", ("s", i))
    assert len(r._blocks) == redact_module.MAX_OPEN_BLOCKS


def test_a_service_account_json_logged_field_by_field_leaks_nothing():
    rng = random.Random(3)
    pem = _pem(rng)
    key_id = "".join(rng.choice("0123456789abcdef") for _ in range(40))
    fields = ['{', '  "type": "service_account",', '  "project_id": "acme-prod",', f'  "private_key_id": "{key_id}",',
              '  "private_key": "' + "\\n".join(pem) + '\\n",',
              '  "client_email": "ci@acme-prod.iam.gserviceaccount.com",', '  "client_id": "104882216739612345678",', '}']
    r = Redactor()
    out = "\n".join(r.redact(f, "ci") for f in fields)
    assert key_id not in out and "ci@acme-prod" not in out
    assert not any(line in out for line in pem[1:-1])
    assert '"project_id": "acme-prod"' in out and "104882216739612345678" in out


def test_text_is_capped():
    r = Redactor(max_chars=1000)
    out = r.redact("x " * 1000)
    assert out.startswith("x x") and out.endswith("<CUT:1000 chars>") and len(out) < 1100


# Linear time, shown two ways without a wall-clock threshold:
# 1. by construction (`tests/regex_bounds.py`): a failed attempt of every pattern costs a constant;
# 2. by measurement: CPU time of a line of 8N characters against N, in the same test.


def _all_patterns():
    yield from (r.pattern for r in TOKEN_RULES)
    yield from (p for _, _, p, _, _ in CONTEXT_RULES if p)
    yield from (g["pre"] for _, g, _, _, _ in CONTEXT_RULES if "pre" in g)
    yield from CREDENTIAL_AFTER.values()
    yield from (p for p, _ in OPTIONAL_RULES.values())
    yield from (v.pattern for v in vars(redact_module).values() if isinstance(v, re.Pattern))


@pytest.mark.parametrize("pattern", list(_all_patterns()))
def test_every_pattern_costs_a_bounded_attempt(pattern):
    from re import _parser

    assert attempt_cost(_parser.parse(pattern)) <= MAX_ATTEMPT


def test_the_bound_check_catches_the_old_quadratic_patterns():
    from re import _parser

    with pytest.raises(AssertionError):  # the old JWT rule: `{5,}` then more
        attempt_cost(_parser.parse(r"\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}"))
    with pytest.raises(AssertionError):  # the old email pre-check: `(...)*` of a group
        attempt_cost(_parser.parse(r"@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2}"))
    assert attempt_cost(_parser.parse(r"(?:a{1,100}){0,1000}")) > MAX_ATTEMPT


_B64 = base64.b64encode(bytes(random.Random(1).randrange(256) for _ in range(3000))).decode()


@pytest.mark.parametrize("unit", ["-eyJ", "@", "=", "a.", _B64, "a@a.", "pass=", "key ", "Bearer ", "://a:",
                                  "-----BEGIN PRIVATE KEY-----", "sk_live_", "key=a;", "pass=ab,c", "secret='a,",
                                  "key 1TCEWXC-", "token:https://", "curl -u k1", "X-Honeycomb-Team: ",
                                  "/tmp/a3Kq9ZxV"],
                         ids=["-eyJ", "@", "=", "a.", "base64", "a@a.", "pass=", "key", "bearer", "url", "BEGIN", "prefix",
                              "punctuated", "punctuated-run", "punctuated-quoted", "uuid-apikey-run",
                              "url-values", "curl-user", "honeycomb-header", "temp-path"])
def test_time_grows_linearly_with_line_length(unit):
    # CPU time (not wall clock) of a 1 MiB line against a 128 KiB one, best of two each:
    # linear work gives a ratio near 8, quadratic near 64. No absolute threshold.
    def cpu(n: int) -> float:
        text = (unit * (n // len(unit) + 1))[:n]
        best = float("inf")
        for _ in range(2):
            r = Redactor()
            t = time.process_time()
            r.redact(text)
            best = min(best, time.process_time() - t)
        return best

    small, large = cpu(1 << 17), cpu(1 << 20)
    assert large < 24 * max(small, 1e-3)


def test_a_credential_after_a_command_line_option_is_hidden():
    # The eleventh round's readable half: Modal's `--token-secret as-...`, whose 22-character body is as short as an
    # object id's, so only the option's name tells it is a secret.
    for line, secret in (("modal token set --token-id ak-x1 --token-secret as-i9MJavYpvpQxKuGQL6Izo3 --profile ml",
                          "as-i9MJavYpvpQxKuGQL6Izo3"),
                         ("deploy.sh --api-key 'abcd1234efgh' --region eu", "abcd1234efgh"),
                         ("mysqldump --password hunter22 --all-databases", "hunter22")):
        assert secret not in Redactor().redact(line), line
    # a file, a name, a variable, a public key or a switched-off option after such a name is no secret
    for line in ("ssh-keygen --key-file /etc/ssl/private/k.pem", "vault --secret-name prod-db-creds",
                 "gh auth --token $GH_TOKEN", "app --public-key pk_abcdef123456", "build --no-token true",
                 "aws --key ~/.aws/id --token-secret ./secret.txt"):
        assert Redactor().redact(line) == line, line


def test_a_vendor_prefix_may_hold_digits():
    # E2B's `e2b_` + 40 hex after "API key" (the eleventh round): a prefix with a digit is a prefix all the same, and a
    # commit after `build_` or `commit_` stays an identifier.
    assert "e2b_02654bb0029d6d680362fd043e781300d7477641" not in Redactor().redact(
        "401 Unauthorized: Invalid API key e2b_02654bb0029d6d680362fd043e781300d7477641")
    kept = "build_a4c123b1612dd272d1371c17149d439536b3216f"
    assert kept in Redactor().redact(f"deployed {kept} to prod")


def test_curls_user_option_hides_the_password_and_keeps_the_user():
    # The twelfth round's readable half: a WordPress application password (four-letter groups with spaces, quoted)
    # after curl's `--user`; curl's `-u` is only read on a curl command line (`docker run -u 1000:1000` is a uid).
    for line, secret, user in (('curl -sS --user "editor-bot:llAP yxwy Ernb efKS 0uVz vOSu" -X POST https://b.example',
                                "llAP yxwy Ernb efKS 0uVz vOSu", "editor-bot"),
                               ("curl -u admin:s3cr3tpw https://api.example/v1", "s3cr3tpw", "admin")):
        out = Redactor().redact(line)
        assert secret not in out and user in out, out
    assert Redactor().redact("docker run -u 1000:1000 app") == "docker run -u 1000:1000 app"


def test_an_authorization_value_with_a_user_and_a_token_id_is_one_credential():
    # Proxmox's API token header (the twelfth round): `PVEAPIToken=USER@REALM!TOKENID=UUID`, all of it hidden
    line = 'curl -H "Authorization: PVEAPIToken=svc-backup@pve!nightly=95413951-3310-4915-b4cb-a8130e1adce3" https://pve'
    out = Redactor().redact(line)
    assert "95413951-3310-4915-b4cb-a8130e1adce3" not in out and "svc-backup@pve" not in out
    # a token after `Token token=` keeps its own kind (PagerDuty's REST key)
    assert "<SECRET:credential:" in Redactor().redact("Authorization: Token token=u+WeSoxOX9IKyO2otrll")


def test_a_working_directory_a_quoted_token_and_a_lock_file_hash():
    # The thirteenth round's readable half: sudo's `PWD=/home/deploy` is a directory, not a password; Gitea's
    # `API token "<40 hex>"` is a token although `reqToken()` (a request) stands before it; Terraform's lock-file
    # `zh:<64 hex>` is a hash labelled with its kind, as Go's `h1:` is.
    line = "sudo[21877]:   deploy : TTY=pts/1 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/mc admin info"
    assert Redactor().redact(line) == line
    assert "hunter22" not in Redactor().redact("odbc: DRIVER=x;UID=sa;PWD=hunter22;")
    token = "b46f0fb49413a4acbd65c37958acaa53f9b55e29"
    assert token not in Redactor().redact(f'routers/api/v1/api.go:215:reqToken() [W] rejected API token "{token}"')
    zh = "zh:" + "3b1c" * 16
    assert zh in Redactor().redact(f"doesn't match any of the checksums in the dependency lock file, e.g. {zh}")


def test_a_checksum_tools_digest_before_its_file_is_kept_and_a_named_credential_is_not():
    # The hundred and twelfth round's readable half: Gradle's wrapper check lists an unknown JAR as `sha256sum` does,
    # the digest and then the file; and a cache key written with a space in its name (`cache key: …`) names data, as
    # `cache_key=` does. A digest-length hex after a credential's word, or with no file after it, stays hidden.
    digest = "c158f91704ba7e9672f4718607bee09e72d32050252fb796415fd6f44fa8ef82"
    for line in (f"Found unknown Gradle Wrapper JAR files:   {digest} gradle/wrapper/gradle-wrapper.jar",
                 f"{digest}  app.tar.gz", f"{digest[:32]} *dist/app.bin", f"{digest[:40]}  ./bin/doctor"):
        assert Redactor().redact(line) == line
    key = "gradle-home-v1|Linux-X64|build[72578412a04b7c274033e2002db16aef]-e12b4fcbb0f3d6a0a650794b38c2998cce43ece4"
    assert key in Redactor().redact(f"Restored Gradle User Home from cache key: {key}")
    for line in (f"token {digest} app.tar.gz", f"api key: {digest}", f"{digest} is ready", f"{digest[:50]}  app.tar.gz"):
        assert digest[:50] not in Redactor().redact(line), line


def test_password_hashes_in_werkzeugs_and_the_phc_string_formats():
    # The fourteenth round's readable half: Werkzeug's `method$salt$hash` (its generate_password_hash docs) leaked
    # whole; the PHC string format's argon2 and scrypt ids join crypt(5)'s. Values generated in their shapes.
    for secret in ("pbkdf2:sha256:600000$46DSxGfip03czCJH$813e45bffd3036be6d39a9589f95f09d5bc9baf21d3870fea31911efbca7b7ec",
                   "scrypt:32768:8:1$k3Jq9ZtWc1xYp0Ab$0f4e2c1b9a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0",
                   "$argon2id$v=19$m=65536,t=3,p=4$dGhpc2lzYXNhbHQ$Zm9vYmFyYmF6cXV4K2Zvby9iYXJiYXpxdXhmb29iYXI"):
        out = Redactor().redact(f"check_password_hash failed (stored={secret}, user=ops-admin)")
        assert secret not in out and "user=ops-admin" in out, out
    # the method alone, or an algorithm named in prose, is no hash
    for line in ("hashing with scheme=pbkdf2:sha256", "scrypt:32768:8:1 is the default cost"):
        assert Redactor().redact(line) == line, line


def test_a_stellar_secret_seed_is_hidden_and_its_account_id_kept():
    # The sixteenth round's readable half: Stellar's StrKey (SEP-23) gives a secret seed `S` and one of A-D, then 54
    # more base32 capitals; the account id (`G...`, the public key) is what a diagnosis names. Values generated.
    seed = "SAY7JY73ZWV5C47MP42FGBERV5WPTNME3SUHBMTBXTSI74O3NZEWDVV3"
    account = "GCKFBEIYTKP5RDBQMU2XUQ4C4RJ4OUKYZFTSPHJAB7NM5EDTSHTVSHE6"
    out = Redactor().redact(f"Invalid Ed25519 Secret Seed: {seed} for account {account}")
    assert seed not in out and account in out, out
    # a 56-character capital run that opens otherwise is not a seed by this rule
    assert "SZ" + "A" * 54 in Redactor().redact("code SZ" + "A" * 54)


def test_google_resource_names_keep_their_ids_and_vaults_audit_hashes_stay():
    # The thirtieth round's readable half: a Google resource name opens with a camel-case collection and no slash
    # (AIP-122), its id an identifier; a camel-case collection that holds credentials still hides what follows it.
    line = 'Error setting billing account \\"billingAccounts/450799-31E7EA-9AD246\\" for project \\"analytics-prod\\"'
    r = Redactor()
    assert r.redact(line) == line and r.total == 0
    token = "Zq8pX2mK9vR4tL7nW3cY6bH1jF5dG0sA"
    assert token not in Redactor().redact(f"GET projects/p1/accessTokens/{token} 404")
    # Vault's audit device logs each secret as an HMAC of it: the hash is kept under any key; the token itself is not
    hashed = "hmac-sha256:" + "3f1c9a7e5b2d4f6081a3c5e7f9b1d3a5c7e9f1b3d5a7c9e1f3b5d7a9c1e3f5a7"
    out = Redactor().redact(f'{{"request":{{"client_token":"{hashed}","path":"secret/data/ci"}}}}')
    assert hashed in out, out
    plain = "hvs.CAESIJ3kZp9qW2xL7mN4vB8cR1tY6uE0oI5aS3dF9gH2jK4l"
    assert plain not in Redactor().redact(f'{{"request":{{"client_token":"{plain}"}}}}')
    assert "hmac-sha256:" + "ab" * 10 not in Redactor().redact(f'{{"client_token":"hmac-sha256:{"ab" * 10}"}}')


def test_a_generated_password_keeps_its_punctuation_inside_the_secret():
    # The thirty-third round's readable half: authentik's client secrets are 128 characters of letters, digits and
    # punctuation; the named-credential rule stopped at the first comma and left the rest (or, when fewer than four
    # characters came first, all of it) in the line.
    secret = "HhZ,QACc-s&B?&C-q]HA<WfqKOYkP?GSPJ@c1_,?4P-r{(Gx!6:wG4XiiEsDaiwhV;sf$Z4)R)Aey)O#P7_G*j3],p*(bE},N:i-W=tq!k"
    for line in (f"msg=\"env dump\" GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET={secret} GF_AUTH_GENERIC_OAUTH_SCOPES=openid",
                 '{"password": "ab,cd;ef&gh", "user": "deploy"}', "DB_PASSWORD=Zx9,Qw;Er7&Ty end"):
        out = Redactor().redact(line)
        for piece in (secret[:20], secret[-20:], "ab,cd;ef&gh", "Zx9,Qw;Er7&Ty", "Qw;Er7", "Er7&Ty"):
            assert piece not in out, (line, out)
    # the fields after a value stay: another `name=` begins, a space ends it, a quote closes it
    for line, kept in (("GET /x?token=abcdef123456&page=2 200", "&page=2 200"),
                       ("password=abcd1234, user=bob", ", user=bob"),
                       ("Set-Cookie: token=abcdefgh12345;path=/;HttpOnly", ";path=/;HttpOnly"),
                       ('{"password":"abcdefgh","user":"x,y"}', '","user":"x,y"}')):
        out = Redactor().redact(line)
        assert out.endswith(kept) and "<SECRET:" in out, (line, out)
    # a short list under a name that only contains a keyword is no generated password
    for line in ("tokens=a,b,c", "keyboard=us,de,fr", "passive: yes,no"):
        assert Redactor().redact(line) == line


def test_a_uuid_apikey_is_hidden_where_the_line_talks_about_keys():
    # The thirty-fourth round's readable half: AnythingLLM's API keys come from uuid-apikey (a UUID written as four
    # groups of seven Crockford base32 capitals), logged after the bare word `key`, where no `name=` precedes them.
    secret = "1TCEWXC-4PH3WPZ-D6J3M3W-HQBYEZT"
    line = f"[backend] error: [validApiKey] rejected request to /api/v1/chat: key {secret} is not registered"
    out = Redactor().redact(line)
    assert secret not in out and "<SECRET:uuid_apikey:" in out, out
    # all capitals, all digits, a group of another length, or no talk of keys: left as they are
    for kept in ("key ABCDEFG-HJKMNPQ-RSTVWXY-ZABCDEF here", "key 1234567-1234567-1234567-1234567",
                 "key 1TCEWXC-4PH3WPZ-D6J3M3W-HQBYEZ", f"order {secret} filled"):
        assert Redactor().redact(kept) == kept, kept


def test_the_thirty_fifth_and_thirty_seventh_rounds_readable_formats():
    # Conekta's key given to curl as the user before an empty password (Stripe documents the same use); Honeycomb's
    # key in its own header; New Relic's mobile token; a Dynatrace kind whose prefix the first rule did not list.
    for line, secret in (
            ("curl --request POST https://api.conekta.io/orders -u key_lKnN9qhrz5x8D9: --data-raw '{}'",
             "key_lKnN9qhrz5x8D9"),
            ('headers={"X-Honeycomb-Team": "59aed423296207b35c6ad5ae05d27391", "Content-Type": "application/json"}',
             "59aed423296207b35c6ad5ae05d27391"),
            ('+ /bin/sh newrelic_postbuild.sh "AAd57a7dc7ef9d514b52c7eae941c72d1abef7ebb6-NRMA"',
             "AAd57a7dc7ef9d514b52c7eae941c72d1abef7ebb6"),
            ("refresh failed for refresh_token dt0s06.6A95HOVOEZQ5EDC7CZ0X1ZF7."
             "A9YGAC916XHIBFCA1A5JO1ASEFHNT5IZNWTOMAFP87S9P4DW5FASBBPYXTJ1FXWJ; falling back", "A9YGAC916XHIBFCA1A5JO")):
        out = Redactor().redact(line)
        assert secret not in out and "<SECRET:" in out, out
    # a person's name before an empty password, a user with a password (the password goes, the name stays), a
    # digest without New Relic's suffix, Honeycomb's dataset in its URL: left as they are
    for line in ("curl -u admin: http://localhost:8080/", "AAd57a7dc7ef9d514b52c7eae941c72d1abef7ebb6 sha1",
                 "POST https://api.honeycomb.io/1/batch/checkout-svc -> 401"):
        assert Redactor().redact(line) == line, line
    assert Redactor().redact("curl -u alice:hunter2222 http://x").startswith("curl -u alice:<SECRET:")


def test_a_temporary_files_random_name_is_kept():
    # Batch one hundred and nineteen's deploy log: a CI runner's temporary copy of a task definition
    # (`/__w/_temp/task-definition-3348qyZ6U3Tq2Is5.json`) was hidden whole as a random token, and with it
    # which file the failing step had read.
    for line in ("task-definition: /__w/_temp/task-definition-3348qyZ6U3Tq2Is5.json",
                 "open /tmp/tmpa8Kq2ZxV9pLmN3rT4wY7: no such file or directory",
                 r"C:/Users/ci/AppData/Local/Temp/build-9fKq2ZxV9pLmN3rT4wY7a.log"):
        assert Redactor().redact(line) == line, line
    # a random segment anywhere else in a path is still judged: a webhook's token, a directory under /tmp
    for line in ("POST /api/webhooks/123456789012345678/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEfGhIjKlMn 404",
                 "GET /tmp/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/x 200"):
        assert "<SECRET:" in Redactor().redact(line), line


def test_a_scope_operator_is_no_assignment():
    # Batch one hundred and fifteen's Oxidized line: Ruby's `OpenSSL::PKey::PKeyError` named a class, and the
    # credential rule read `key` then `:` then `:PKeyError` as a key's value, hiding the exception's name.
    for line in ('10.100.0.109 raised OpenSSL::PKey::PKeyError with msg "pkeys are immutable on OpenSSL 3.0"',
                 "Aws::Sigv4::SecretKey::MissingCredentialsError, retrying", "thrown crypto::key::Invalid,again"):
        assert Redactor().redact(line) == line
    for line, secret in (("api_key: abcdefgh12345678", "abcdefgh12345678"), ("token=ab12cd", "ab12cd"),
                         ("CLIENT_SECRET:HhZ,QACc-s&B?x", "HhZ,QACc-s&B?x")):
        assert secret not in Redactor().redact(line), line


@pytest.mark.parametrize("line", [
    "Access denied for user 'root'@'10.0.0.5' (using password: YES)",  # MySQL: whether, not what
    "GetSecretValue on arn:aws:secretsmanager:eu-west-2:123456789012:secret:VoicemailSecret-AbCdEf failed",
    '"msg"="Reconciling" "key"="default/example-cert-2" "controller"="certificate"',  # controller-runtime's object
    '      key: "quota_limit_value"',  # Google's ErrorInfo metadata names a field
    "sending a message with key='si.key' and payload",
    "Install your authtoken: https://dashboard.ngrok.com/get-started/your-authtoken",
])
def test_what_names_or_locates_a_credential_stays(line):
    # The readable half of the incident corpus, read for what the redactor hid that a diagnosis needs.
    assert Redactor().redact(line) == line


@pytest.mark.parametrize("line,secret", [
    ("token: https://x.example.com/cb?token=abcdefgh12345678 ok", "abcdefgh12345678"),  # the query's token still
    ('key: "hunter"', "hunter"),  # one lower-case word under `key` may be a weak password
    ('api_key: "quota_limit_value"', "quota_limit_value"),  # `key` within a name is the credential's
    ("password: YES12345", "YES12345"),
    ("GET /content/?key=61f942472a37366fa95cd7f5ed&limit=10", "61f942472a37366fa95cd7f5ed"),
])
def test_the_same_names_still_hide_values(line, secret):
    assert secret not in Redactor().redact(line)


@pytest.mark.parametrize("line", [
    # https://github.com/Bike4Mind/bike4mind/issues/1535: S3's error code is the diagnosis
    "XAmzContentSHA256Mismatch: The provided 'x-amz-content-sha256' header does not match what was computed.",
    # https://github.com/sassoftware/viya4-iac-aws/issues/271: EKS's reason for a failed node group
    "last error: subnet-0332da0d666ebc6ea: Ec2SubnetInvalidConfiguration: One or more Amazon EC2 Subnets",
    # https://github.com/meilisearch/meilisearch-php/issues/202: the exception's class
    r"Symfony\Component\HttpClient\Psr18RequestException",
    # https://github.com/grpc/grpc-java/pull/10663 and https://github.com/Azure/azure-functions-host/issues/151
    "\tat io.netty.handler.codec.http2.Http2InboundFrameLogger$1.onHeadersRead(Http2InboundFrameLogger.java:56)",
    "Host.Functions.EventHubTriggerNodeJS1",
])
def test_names_made_of_words_and_digits_are_no_random_strings(line):
    # Class names, functions and error codes mix cases and digits as random strings do; most of their characters
    # stand in words with vowels, which random letters seldom give.
    assert Redactor().redact(line) == line


def test_random_strings_that_spell_a_word_or_two_are_still_secrets():
    rng = random.Random(11)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    tokens = ["".join(rng.choice(alphabet) for _ in range(32)) for _ in range(2000)]
    caught = sum("<SECRET:" in Redactor().redact(f"connected with {t} to upstream") for t in tokens)
    assert caught >= 0.97 * len(tokens)
    # a word or two inside a random string leave it random
    for token in ("q8ZRequestx7Lp2WmN4vT9kYb3", "Xk29Hello7QpLm4Zr8TtWv2NbY0"):
        assert token not in Redactor().redact(f"connected with {token} to upstream"), token


def test_a_key_named_for_the_data_it_finds_is_no_credential():
    # The forty-third secrets round's readable half: PagerDuty's Events API answers with the incident's `dedup_key`
    # (a UUID it generates, https://developer.pagerduty.com/docs/events-api-v2/trigger-events/), which was hidden
    # as a credential by its name's `key`.
    line = ('INFO pagerduty: event accepted status=202 response={"status":"success","message":"Event processed",'
            '"dedup_key":"5f7e2c1a-3b4d-4e6f-8a9b-0c1d2e3f4a5b"}')
    assert Redactor().redact(line) == line
    for line in ("cache_key=orders:2024:eu", 'partitionKey: "orders-2024"', "shard-key=user_42"):
        assert Redactor().redact(line) == line, line
    # the value still meets the vendor and entropy rules, and keys vendors name credentials so stay hidden
    for name, secret in (("cache_key=", "sk_live_51H8abcdefghijklmnopqrstuvwxyz0123"),
                         ('"routing_key":"', "R01234567890123456789012345678AB"),
                         ('"primaryKey": "', "abcDEF123ghiJKL456mnoPQR789stuVWX012yzA345="),
                         ("HashKey=", "5294y06JbISpM5x9")):
        assert secret not in Redactor().redact(name + secret), name
