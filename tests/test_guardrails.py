"""Guardrails judge the parsed change: one test per bypass the security probe (issue #15) found
against the old text patterns, and the harmless changes that must still pass."""

import stat
from pathlib import Path

import pytest

from doctor.models import Check, Fix, FixTarget
from doctor.prescribe.guard import REPLACEMENT, arn_breadth, cidr_breadth
from doctor.prescribe.prove import guardrails, terraform_fmt

BASE = (Path(__file__).parent / "fixtures" / "guardrails" / "base.tf").read_text()  # also test_prescribe's
ACTION = 'Action = ["s3:GetObject"]'
RESOURCE = '"arn:aws:s3:::b/*"'
CIDR = '["10.0.0.0/8"]'


def _failed(before: str, after: str) -> dict[str, Check]:
    return {c.name: c for c in guardrails(before, after) if not c.ok}


IAM_BYPASSES = [
    ("star alone on a line of a list", BASE.replace(ACTION, 'Action = [\n      "s3:GetObject",\n      "*",\n    ]'),
     "Action `*`"),
    ("a family of actions", BASE.replace(ACTION, 'Action = ["iam:Pass*"]'), "Action `iam:Pass*`"),
    ("service-wide action", BASE.replace(ACTION, 'Action = ["s3:*"]'), "Action `s3:*`"),
    ("NotAction in an Allow", BASE.replace(ACTION, 'NotAction = ["s3:DeleteBucket"]'), "NotAction in an Allow"),
    ("Principal star", BASE.replace(f"Resource = [{RESOURCE}] }}", f'Resource = [{RESOURCE}], Principal = "*" }}'),
     "Principal `*` is anyone"),
    ("Principal AWS star", BASE.replace(f"Resource = [{RESOURCE}] }}",
                                        f'Resource = [{RESOURCE}], Principal = {{ AWS = "*" }} }}'),
     "Principal `*` is anyone"),
    ("JSON-style key", BASE.replace(ACTION, '"Action": "*"'), "Action `*`"),
    ("every service, region, account", BASE.replace(RESOURCE, '"arn:aws:*:*:*:*"'), "wildcard service"),
    ("every bucket", BASE.replace(RESOURCE, '"arn:aws:s3:::*"'), "matches any bucket"),
    ("every secret anywhere", BASE.replace(RESOURCE, '"arn:aws:secretsmanager:*:*:secret:*"'), "wildcard region"),
    ("every secret of one account", BASE.replace(RESOURCE, '"arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:*"'),
     "any resource of its kind"),
    ("bare star resource", BASE.replace(RESOURCE, '"*"'), "Resource `*` is every resource"),
    ("a variable where an ARN goes", BASE.replace(RESOURCE, "var.bucket_arn"), "needs review"),
    ("an interpolation where an ARN goes", BASE.replace(RESOURCE, '"arn:aws:s3:::${var.bucket}"'), "needs review"),
    ("a JSON heredoc policy", BASE.replace('''  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = ["arn:aws:s3:::b/*"] }]
  })''', '''  policy = <<-EOT
    {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b/*"}]}
  EOT'''), "Action `*`"),
    ("a Google binding to everyone", BASE + '''
resource "google_storage_bucket_iam_member" "public" {
  bucket = "doctor-reports"
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}
''', "grants roles/storage.objectViewer to anyone"),
    ("a Google binding to a variable", BASE + '''
resource "google_project_iam_member" "x" {
  project = "p"
  role    = "roles/viewer"
  member  = var.member
}
''', "needs review"),
    ("a wildcard service principal", BASE.replace(f"Resource = [{RESOURCE}] }}",
                                                  f'Resource = [{RESOURCE}], Principal = {{ Service = "*.amazonaws.com" }} }}'),
     "wildcard principal"),
    ("an Effect that is not Deny is an Allow", BASE.replace('Effect = "Allow", Action = ["s3:GetObject"]',
                                                           'Effect = "allow", Action = ["s3:*"]'), "Action `s3:*`"),
    ("a policy document's principals", BASE + '''
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}
''', "Principal `*` is anyone"),
]


POLICY = '''  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = ["arn:aws:s3:::b/*"] }]
  })'''
IAM_BYPASSES += [
    ("a policy from a variable", BASE.replace(POLICY, "  policy = var.policy_json"), "needs review"),
    ("jsonencode of a local", BASE.replace(POLICY, "  policy = jsonencode(local.policy)"), "needs review"),
    ("a heredoc with a variable resource", BASE.replace(POLICY, '''  policy = <<EOT
{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "${var.bucket_arn}/*"}]}
EOT'''), "needs review"),
    ("a heredoc wildcard beside an interpolation", BASE.replace(POLICY, '''  policy = <<EOT
{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "${aws_s3_bucket.b.arn}/*"}]}
EOT'''), "Action `s3:*`"),
]


@pytest.mark.parametrize("after,words", [c[1:] for c in IAM_BYPASSES], ids=[c[0] for c in IAM_BYPASSES])
def test_iam_wildcards_are_refused_whatever_their_spelling(after, words):
    failed = _failed(BASE, after)
    assert set(failed) == {"guardrail:no_iam_wildcard"}, failed
    assert words in failed["guardrail:no_iam_wildcard"].detail


INGRESS_BYPASSES = [
    ("two halves of the internet", BASE.replace(CIDR, '["0.0.0.0/1", "128.0.0.0/1"]'), "128.0.0.0/1"),
    ("IPv6 written ::0/0", BASE.replace(CIDR, '["::0/0"]'), "(::/0)"),
    ("IPv6 written 0::/0", BASE.replace(CIDR, '["0::/0"]'), "(::/0)"),
    ("every IPv4 address, IPv4-mapped", BASE.replace(CIDR, '["::ffff:0.0.0.0/96"]'), "carries IPv4 0.0.0.0/0"),
    ("every IPv4 address through NAT64", BASE.replace(CIDR, '["64:ff9b::/96"]'), "carries IPv4 0.0.0.0/0"),
    ("IPv4 everything", BASE.replace(CIDR, '["0.0.0.0/0"]'), "0.0.0.0/0"),
    ("a wide public block", BASE.replace(CIDR, '["52.0.0.0/8"]'), "wider than /16"),
    ("a variable", BASE.replace(CIDR, "var.allowed_cidrs"), "needs review"),
    ("an element of a list that is a variable", BASE.replace(CIDR, '["10.0.0.0/8", var.office]'), "needs review"),
    ("an interpolation", BASE.replace(CIDR, '["${var.net}/16"]'), "needs review"),
    ("not a CIDR", BASE.replace(CIDR, '["everywhere"]'), "needs review"),
    ("an ingress block of a security group", BASE + '''
resource "aws_security_group" "web" {
  ingress {
    from_port        = 443
    to_port          = 443
    protocol         = "tcp"
    ipv6_cidr_blocks = ["::/0"]
  }
}
''', "aws_security_group.web.ipv6_cidr_blocks"),
    ("a public Cloud SQL", BASE + '''
resource "google_sql_database_instance" "db" {
  name = "db"
  settings {
    ip_configuration {
      authorized_networks {
        value = "0.0.0.0/0"
      }
    }
  }
}
''', "0.0.0.0/0"),
]


@pytest.mark.parametrize("after,words", [c[1:] for c in INGRESS_BYPASSES], ids=[c[0] for c in INGRESS_BYPASSES])
def test_public_ingress_is_refused_whatever_its_spelling(after, words):
    failed = _failed(BASE, after)
    assert set(failed) == {"guardrail:no_public_ingress"}, failed
    assert words in failed["guardrail:no_public_ingress"].detail


STATEFUL = [
    ("aws_ecr_repository", "name", '"patient/executor"', '"patient/executor-2"'),
    ("aws_secretsmanager_secret", "name", '"patient/exchange-api-key"', '"patient/exchange-api-key-v2"'),
    ("google_sql_database_instance", "name", '"doctor-db"', '"doctor-db-2"'),
    ("google_storage_bucket", "name", '"doctor-reports"', '"doctor-reports-2"'),
    ("aws_elasticache_cluster", "cluster_id", '"patient-redis"', '"patient-redis-2"'),
    ("aws_efs_file_system", "creation_token", '"patient-efs"', '"patient-efs-2"'),
]


@pytest.mark.parametrize("rtype,attr,old,new", STATEFUL, ids=[f"{t}.{a}" for t, a, *_ in STATEFUL])
def test_replacing_changes_to_stateful_resources_are_refused(rtype, attr, old, new):
    before = f'resource "{rtype}" "x" {{\n  {attr} = {old}\n  tags = {{ team = "a" }}\n}}\n'
    failed = _failed(before, before.replace(old, new))
    assert set(failed) == {"guardrail:stateful_kept"}, failed
    assert f"changes {rtype}.x.{attr}" in failed["guardrail:stateful_kept"].detail
    assert attr in REPLACEMENT[rtype]
    # Changing something that does not force replacement is fine.
    assert _failed(before, before.replace('team = "a"', 'team = "b"')) == {}


@pytest.mark.parametrize("indent", ["    ", "\t", "      "], ids=["four spaces", "tab", "six spaces"])
def test_replacement_is_seen_whatever_the_indentation(indent):
    after = BASE.replace('  identifier        = "patient-postgres"', f'{indent}identifier = "patient-postgres-2"')
    failed = _failed(BASE, after)
    assert "changes aws_db_instance.db.identifier" in failed["guardrail:stateful_kept"].detail


def test_deleting_a_stateful_resource_is_refused_and_adding_a_replacing_argument_counts():
    without = BASE[: BASE.index('resource "aws_db_instance"')] + BASE[BASE.index('resource "aws_iam_role_policy"'):]
    assert "deletes aws_db_instance.db" in _failed(BASE, without)["guardrail:stateful_kept"].detail
    with_kms = BASE.replace("allocated_storage = 20", 'allocated_storage = 20\n  kms_key_id = "arn:aws:kms:x"')
    assert "kms_key_id (unset ->" in _failed(BASE, with_kms)["guardrail:stateful_kept"].detail


@pytest.mark.parametrize("after", [
    BASE.replace("allocated_storage = 20", "allocated_storage = 30"),
    BASE.replace(RESOURCE, '"${aws_s3_bucket.b.arn}/*"'),  # scoped to a managed bucket
    BASE.replace(RESOURCE, "aws_db_instance.db.master_user_secret[0].secret_arn"),
    BASE + '''
resource "google_project_iam_member" "x" {
  project = "p"
  role    = "roles/aiplatform.user"
  member  = "serviceAccount:${google_service_account.doctor.email}"
}
''',
    BASE.replace(POLICY, "  policy = data.aws_iam_policy_document.p.json"),  # judged where it is defined
    BASE.replace(POLICY, '''  policy = <<EOT
{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "${aws_s3_bucket.b.arn}/*"}]}
EOT'''),
    BASE.replace(RESOURCE, '"arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:patient/exchange-api-key-Xy12Ab"'),
    BASE.replace(RESOURCE, '"arn:aws:logs:ap-northeast-2:123456789012:log-group:/ecs/patient/executor:*"'),
    BASE.replace(CIDR, '["10.1.0.0/16", "203.0.113.0/24", "2a00:1450:4001::/48"]'),
    # A Deny takes away: its wildcards are not a grant.
    BASE.replace('Statement = [{', 'Statement = [{ Effect = "Deny", Action = ["*"], Resource = ["*"] }, {'),
    # The same statement written again (as Claude returns a whole block) adds nothing.
    BASE.replace('Action = ["s3:GetObject"], Resource', 'Action = [\n      "s3:GetObject",\n    ], Resource'),
], ids=["allocated_storage", "resource reference", "indexed reference", "google member of a managed account",
        "policy document", "heredoc reference",
        "exact secret", "log streams of one group",
        "narrow and private CIDRs", "deny", "same statement reformatted"])
def test_harmless_changes_pass(after):
    assert _failed(BASE, after) == {}


def test_a_wildcard_already_there_is_not_the_change_s_doing_but_a_new_one_is():
    wild = BASE.replace(RESOURCE, '"*"')
    assert _failed(wild, wild.replace("s3:GetObject", "s3:GetObjectVersion")) != {}  # a changed statement is judged
    assert _failed(wild, wild.replace("allocated_storage = 20", "allocated_storage = 30")) == {}


def test_needs_review_makes_the_fix_invalid_and_says_why_in_slack():
    from doctor.deliver.blocks import fix_blocks

    checks = guardrails(BASE, BASE.replace(CIDR, "var.allowed_cidrs"))
    fix = Fix(target=FixTarget(file="terraform/x.tf", address="aws_security_group_rule.in", attribute="cidr_blocks"),
              diff="", rationale="r", checks=checks)
    assert not fix.valid
    text = str(fix_blocks(fix, None, title="t", category="iam_permission"))
    assert "⚠️ NOT valid: needs review" in text and "⚠️ guardrail:no_public_ingress: needs review" in text
    assert "var.allowed_cidrs" in text


def test_arn_and_cidr_judges():
    assert arn_breadth("arn:aws:s3:::b/*") is None and arn_breadth("arn:aws:s3:::b*")
    assert arn_breadth("arn:aws:iam::123456789012:role/*") and arn_breadth("arn:aws:iam::123456789012:role/app") is None
    assert arn_breadth("arn:aws:dynamodb:r:1:table/t/index/*") is None
    assert arn_breadth("*") and arn_breadth("arn:*:s3:::b")
    assert cidr_breadth("10.0.0.0/8") == (None, False) and cidr_breadth("192.168.1.7/32") == (None, False)
    assert cidr_breadth("0.0.0.0/1")[0] and cidr_breadth("::/1")[0] and cidr_breadth("2a00::/16")[0]
    assert cidr_breadth("10.0.0.0/33") == ("`10.0.0.0/33` is not a CIDR", True)
    assert cidr_breadth("::ffff:10.0.0.0/104") == (None, False)  # a private IPv4 block, IPv4-mapped


def test_terraform_runs_with_the_checkpoint_disabled(tmp_path, monkeypatch):
    """Every terraform call: a stand-in binary records the environment it was given."""
    monkeypatch.delenv("CHECKPOINT_DISABLE", raising=False)  # the doctor sets it, not the caller
    seen = tmp_path / "env"
    fake = tmp_path / "terraform"
    fake.write_text(f'#!/bin/sh\necho "${{CHECKPOINT_DISABLE:-unset}}" > {seen}\ncat\n')
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    formatted, detail = terraform_fmt("a = 1\n", binary=str(fake))
    assert formatted == "a = 1\n" and detail == "ok"
    assert seen.read_text().strip() == "1"
