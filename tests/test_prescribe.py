import difflib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from doctor.models import Diagnosis, Evidence
from doctor.prescribe import NoFix, OfflineFixer, TerraformRepo
from doctor.prescribe.hcl import line_depths, scan_blocks
from doctor.prescribe.prove import Proposal, check_proposal, checkov_check, find_checkov, guardrails
from doctor.prescribe.rules import RULE_KEYS, next_fargate_size

DENIED = ("botocore.exceptions.ClientError: An error occurred (AccessDeniedException) when calling the GetSecretValue "
          "operation: User: arn:aws:sts::123456789012:assumed-role/patient-executor-task/a1b2 is not authorized to "
          "perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:ap-northeast-2:123456789012:"
          "secret:patient/exchange-api-key-Xy12Ab because no identity-based policy allows the action")

RULE_CASES = [
    ("oom", "aws_ecs_task_definition", "memory", ["service:executor"], "", "aws_ecs_task_definition.executor",
     ["-  memory                   = 1024", "+  memory                   = 2048"]),
    ("disk_full", "aws_ecs_task_definition", "ephemeral_storage.size_in_gib", ["service:collector"], "",
     "aws_ecs_task_definition.collector", ["+  ephemeral_storage {", "+    size_in_gib = 40"]),
    ("db_connections", "aws_db_parameter_group", "max_connections", ["service:strategy"], "",
     "aws_db_parameter_group.postgres", ['-    value        = "100"', '+    value        = "200"']),
    ("disk_full", "aws_db_instance", "allocated_storage", ["service:postgres"], "", "aws_db_instance.postgres",
     ["+  allocated_storage                   = 30"]),
    ("cache_memory", "aws_elasticache_replication_group", "node_type", [], "", "aws_elasticache_replication_group.redis",
     ['+  node_type                  = "cache.t4g.small"']),
    ("lb_health", "aws_lb_target_group", "health_check.timeout", ["service:dashboard"], "",
     "aws_lb_target_group.dashboard", ["+    timeout             = 10"]),
    ("timeout", "aws_lb", "idle_timeout", [], "", "aws_lb.main", ["+  idle_timeout               = 120"]),
    ("secrets_access", "aws_iam_role_policy", "policy", ["service:executor"], DENIED, "aws_iam_role_policy.executor",
     ['+        Action   = ["secretsmanager:GetSecretValue"]',
      '+        Resource = ["arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:patient/exchange-api-key-Xy12Ab"]']),
]


def _diag(category, resource, attribute, services, evidence=""):
    return Diagnosis(summary="s", category=category, root_cause="r", confidence=0.9, affected_resources=services,
                     fix_hint={"resource": resource, "attribute": attribute},
                     evidence=[Evidence(text=evidence)] if evidence else [])


def _fixer():
    checkov = find_checkov(os.environ.get("DOCTOR_CHECKOV_BIN"))
    assert checkov, "checkov is needed (make test installs it into .venv-checkov)"
    return OfflineFixer(checkov_bin=checkov)


def test_every_rule_is_exercised():
    assert {(r, a) for _, r, a, *_ in RULE_CASES} == set(RULE_KEYS)


@pytest.mark.parametrize("category,resource,attribute,services,evidence,address,expected", RULE_CASES)
def test_rule_produces_a_minimal_proven_diff_that_applies(tf_copy, category, resource, attribute, services,
                                                          evidence, address, expected):
    repo = TerraformRepo(tf_copy)
    fix = _fixer().propose(_diag(category, resource, attribute, services, evidence), repo=repo)
    assert fix.target.address == address
    assert fix.valid, [c for c in fix.checks if not c.ok]
    assert {c.name for c in fix.checks} >= {"hcl2_parse", "terraform_fmt", "guardrail:no_public_ingress",
                                           "guardrail:no_iam_wildcard", "guardrail:stateful_kept", "checkov"}
    assert not any(c.skipped for c in fix.checks), "terraform and checkov must be installed for the suite"
    for line in expected:
        assert line in fix.diff.splitlines(), fix.diff

    # The diff applies with git, and nothing but the edited lines changes.
    root = tf_copy.parent
    before = (root / fix.target.file).read_text()
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "apply", "-"], cwd=root, input=fix.diff, text=True, check=True)
    after = (root / fix.target.file).read_text()
    changed = [ln for ln in difflib.ndiff(before.splitlines(), after.splitlines()) if ln[:1] in "+-"]
    assert 1 <= len(changed) <= 12
    TerraformRepo(tf_copy)  # the patched tree still parses


def test_fargate_sizes_stay_valid():
    assert next_fargate_size(256, 512) == (256, 1024)
    assert next_fargate_size(256, 2048) == (512, 4096)
    assert next_fargate_size(512, 1024) == (512, 2048)
    with pytest.raises(NoFix):
        next_fargate_size(16384, 122880)


def test_no_fix_is_explained(tf_copy):
    repo = TerraformRepo(tf_copy)
    with pytest.raises(NoFix, match="not fixed in Terraform"):
        OfflineFixer().propose(Diagnosis(summary="s", category="tls", root_cause="r", confidence=0.9), repo=repo)
    with pytest.raises(NoFix, match="cannot tell which aws_ecs_task_definition"):
        OfflineFixer().propose(_diag("oom", "aws_ecs_task_definition", "memory", []), repo=repo)
    with pytest.raises(NoFix, match="no exact resource ARN"):
        OfflineFixer().propose(_diag("iam_permission", "aws_iam_role_policy", "policy", ["service:executor"],
                                     "User: x is not authorized to perform: s3:PutObject"), repo=repo)


@pytest.mark.parametrize("action,resource", [
    ("s3:GetObject", "arn:aws:s3:::*"),
    ("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:*:*:secret:*"),
    ("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:*"),
    ("s3:GetObject", "arn:aws:*:*:*:*"),
])
def test_access_denied_on_a_wildcard_resource_gets_no_fix(tf_copy, action, resource):
    """/terraform from an AccessDenied naming a wildcard: no grant on the wildcard, and the note says why."""
    evidence = DENIED.replace("secretsmanager:GetSecretValue", action).replace(
        "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:patient/exchange-api-key-Xy12Ab", resource)
    with pytest.raises(NoFix, match="a wildcard grant is not proposed") as exc:
        OfflineFixer().propose(_diag("secrets_access", "aws_iam_role_policy", "policy", ["service:executor"], evidence),
                               repo=TerraformRepo(tf_copy))
    assert resource in str(exc.value)


BASE = (Path(__file__).parent / "fixtures" / "guardrails" / "base.tf").read_text()  # also test_guardrails'


@pytest.mark.parametrize("bad,check", [
    (BASE.replace('["10.0.0.0/8"]', '["0.0.0.0/0"]'), "guardrail:no_public_ingress"),
    (BASE.replace('Action = ["s3:GetObject"]', 'Action = ["s3:*"]'), "guardrail:no_iam_wildcard"),
    (BASE.replace('Resource = ["arn:aws:s3:::b/*"] }', 'Resource = ["*"] }'), "guardrail:no_iam_wildcard"),
    (BASE.replace('identifier        = "patient-postgres"', 'identifier        = "patient-postgres-2"'),
     "guardrail:stateful_kept"),
    (BASE[: BASE.index('resource "aws_db_instance"')] + BASE[BASE.index('resource "aws_iam_role_policy"'):],
     "guardrail:stateful_kept"),
])
def test_guardrails_reject_dangerous_proposals(bad, check):
    checks = {c.name: c for c in guardrails(BASE, bad)}
    assert not checks[check].ok
    assert all(c.ok for name, c in checks.items() if name != check)


def test_guardrails_pass_a_harmless_change():
    assert all(c.ok for c in guardrails(BASE, BASE.replace("allocated_storage = 20", "allocated_storage = 30")))


def test_proposals_outside_the_tree_or_unparseable_are_rejected(tmp_path):
    tf = tmp_path / "terraform"
    tf.mkdir()
    _, checks = check_proposal(Proposal(tmp_path / "main.tf", BASE, BASE), tf_dir=tf)
    assert not {c.name: c for c in checks}["guardrail:inside_terraform_tree"].ok
    _, checks = check_proposal(Proposal(tf / "main.tf", BASE, BASE + "\nresource {"), tf_dir=tf)
    assert not {c.name: c for c in checks}["hcl2_parse"].ok


def test_terraform_fmt_formats_a_proposal(tmp_path):
    assert shutil.which("terraform"), "the machine's terraform binary is required"
    tf = tmp_path / "terraform"
    tf.mkdir()
    messy = BASE.replace("allocated_storage = 20", "allocated_storage=30")
    final, checks = check_proposal(Proposal(tf / "main.tf", BASE, messy), tf_dir=tf)
    fmt = {c.name: c for c in checks}["terraform_fmt"]
    assert fmt.ok and fmt.detail == "formatted by terraform fmt"
    assert "allocated_storage = 30" in final


def test_scanner_ignores_braces_in_strings_comments_and_heredocs():
    text = '''# a { comment
resource "x" "a" {
  s = "}${join("}", [var.a])}{"
  /* { */
  h = <<EOT
  } not code {
EOT
  nested {
    k = 1 // }
  }
}

data "y" "b" {}
'''
    blocks = scan_blocks(text, Path("t.tf"))
    assert [(b.address, b.start, b.end) for b in blocks] == [("x.a", 1, 10), ("data.y.b", 12, 12)]
    assert line_depths(text)[8] == 2


def test_checkov_lists_the_checks_a_change_breaks():
    checkov = find_checkov(os.environ.get("DOCTOR_CHECKOV_BIN"))
    assert checkov, "checkov is needed (make test installs it into .venv-checkov)"
    from .conftest import REPO

    before = (REPO / "terraform/patient/alb.tf").read_text()
    after = before.replace("  enable_deletion_protection = true\n", "")
    check = checkov_check(checkov, "alb.tf", before, after)
    assert not check.ok and "CKV_AWS_150 on aws_lb.main" in check.detail
    assert checkov_check(checkov, "alb.tf", before, before).ok
    assert checkov_check(None, "alb.tf", before, after).skipped


@pytest.fixture
def module_copy(tmp_path):
    from .conftest import REPO

    dest = tmp_path / "module" / "terraform"
    shutil.copytree(REPO / "tests/fixtures/tf-module/terraform", dest)
    return dest


def test_public_style_module_is_located_by_service_name_and_keeps_its_comments(module_copy):
    repo = TerraformRepo(module_copy)
    assert "aws_ecs_task_definition.this" in repo.get("aws_ecs_service.this").references()
    fix = OfflineFixer().propose(_diag("oom", "aws_ecs_task_definition", "memory", ["service:api"]), repo=repo)
    assert fix.target.address == "aws_ecs_task_definition.this" and fix.target.file == "terraform/service/main.tf"
    assert "-  memory                   = 2048 # MiB; raised from 1024 in the May incident" in fix.diff
    assert "+  memory                   = 4096 # MiB; raised from 1024 in the May incident" in fix.diff


def test_a_size_set_by_a_variable_is_not_guessed(module_copy):
    repo = TerraformRepo(module_copy)
    with pytest.raises(NoFix, match="not a literal number"):
        OfflineFixer().propose(_diag("oom", "aws_ecs_task_definition", "memory", ["service:worker"]), repo=repo)
