"""Offline Terraform fixes: one small rule per (resource type, attribute) a signature names.

Each rule makes the smallest change that relieves the diagnosed failure and
says why in its rationale. Stop-gaps are called stop-gaps: raising memory does
not fix a leak.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from doctor.models import Diagnosis, Fix, FixTarget, own_name
from doctor.prescribe.base import NoFix, present
from doctor.prescribe.edit import BlockEditor, EditError
from doctor.prescribe.guard import arn_breadth
from doctor.prescribe.hcl import Block, TerraformRepo
from doctor.prescribe.prove import Proposal

# Valid Fargate memory (MiB) for each CPU size (units).
FARGATE_MEMORY = {
    256: (512, 1024, 2048),
    512: tuple(range(1024, 4097, 1024)),
    1024: tuple(range(2048, 8193, 1024)),
    2048: tuple(range(4096, 16385, 1024)),
    4096: tuple(range(8192, 30721, 1024)),
    8192: tuple(range(16384, 61441, 4096)),
    16384: tuple(range(32768, 122881, 8192)),
}
_NODE_SIZES = ("nano", "micro", "small", "medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge",
               "12xlarge", "16xlarge", "24xlarge")
_DENIED = re.compile(r"is not authorized to perform: ([\w-]+:[\w*]+)(?: on resource: (arn:[^\s,;]+?))?(?:\s|$|,|;| because)")
_ROLE_IN_ARN = re.compile(r":(?:assumed-role|role)/([\w+=,.@-]+)")


def next_fargate_size(cpu: int, memory: int) -> tuple[int, int]:
    """The smallest valid (cpu, memory) with at least twice the memory, keeping cpu if possible."""
    want = memory * 2
    for c in sorted(FARGATE_MEMORY):
        if c < cpu:
            continue
        fits = [m for m in FARGATE_MEMORY[c] if m >= want]
        if fits:
            return c, fits[0]
    raise NoFix(f"{memory} MiB is already at Fargate's largest size")


def next_node_type(node_type: str) -> str:
    m = re.match(r"^(cache|db)\.([a-z0-9]+)\.(\w+)$", node_type)
    if not m or m.group(3) not in _NODE_SIZES:
        raise NoFix(f"do not know the next size after {node_type}")
    i = _NODE_SIZES.index(m.group(3))
    if i + 1 >= len(_NODE_SIZES):
        raise NoFix(f"{node_type} is already the largest size")
    return f"{m.group(1)}.{m.group(2)}.{_NODE_SIZES[i + 1]}"


def _int(value: str | None, default: int | None = None) -> int:
    if value is None:
        if default is None:
            raise NoFix("the attribute to change is not set and has no known default")
        return default
    m = re.fullmatch(r'"?(\d+)"?', value.strip())
    if not m:
        raise NoFix(f"cannot raise {value!r}: not a literal number (a variable? change it where it is set)")
    return int(m.group(1))


def services_of(diagnosis: Diagnosis) -> list[str]:
    seen: list[str] = []
    for r in diagnosis.affected_resources:
        if r.startswith("service:") and r[8:] not in seen:
            seen.append(r[8:])
    for e in diagnosis.evidence:
        for s in map(own_name, e.services):  # "ecs-events via executor" is ecs-events' line
            if s not in seen:
                seen.append(s)
    return seen


class OfflineFixer:
    """Rule-based Terraform fixes, proven like any other proposal."""

    name = "offline"

    def __init__(self, *, terraform_bin: str = "terraform", checkov_bin: str | None = None) -> None:
        self.terraform_bin = terraform_bin
        self.checkov_bin = checkov_bin

    def propose(self, diagnosis: Diagnosis, *, repo: TerraformRepo) -> Fix:
        hint = diagnosis.fix_hint
        if not hint:
            raise NoFix(f"{diagnosis.category} is not fixed in Terraform; see the next steps")
        rtype, attr = hint["resource"], hint["attribute"]
        block = locate(repo, rtype, diagnosis)
        text = repo.texts[block.file]
        editor = BlockEditor(text, block)
        rule = _RULES.get((rtype, attr))
        if rule is None:
            raise NoFix(f"no offline rule changes {rtype}.{attr}")
        try:
            changed_attr, rationale = rule(editor, block, diagnosis, repo)
        except EditError as exc:
            raise NoFix(str(exc)) from None
        if editor.text == text:
            raise NoFix(f"{block.address}.{attr} already has the value the rule would set")
        return present(
            Proposal(block.file, text, editor.text),
            repo=repo,
            target=FixTarget(file=repo.rel(block.file), address=block.address, attribute=changed_attr),
            rationale=rationale,
            provider=self.name,
            terraform_bin=self.terraform_bin,
            checkov_bin=self.checkov_bin,
        )


def locate(repo: TerraformRepo, rtype: str, diagnosis: Diagnosis) -> Block:
    """The block of type `rtype` the diagnosis points at."""
    services = services_of(diagnosis)
    candidates = repo.of_type(rtype)
    if not candidates:
        raise NoFix(f"no {rtype} in {repo.rel(repo.tf_dir)}")
    if rtype == "aws_iam_role_policy":
        return _locate_policy(repo, diagnosis, services)
    for svc in services:
        svc_block = _ecs_service(repo, svc)
        if svc_block is not None:
            for ref in sorted(svc_block.references()):
                if ref.startswith(rtype + "."):
                    return repo.get(ref)  # type: ignore[return-value]
            task_def = next((repo.get(r) for r in svc_block.references() if r.startswith("aws_ecs_task_definition.")), None)
            if task_def is not None:
                for ref in sorted(task_def.references()):
                    if ref.startswith(rtype + "."):
                        return repo.get(ref)  # type: ignore[return-value]
        direct = repo.get(f"{rtype}.{svc}")
        if direct is not None:
            return direct
    if rtype == "aws_db_parameter_group":
        for db in repo.of_type("aws_db_instance"):
            for ref in db.references():
                if ref.startswith(rtype + "."):
                    return repo.get(ref)  # type: ignore[return-value]
    if len(candidates) == 1:
        return candidates[0]
    names = ", ".join(b.address for b in candidates)
    hint = f" for service(s) {', '.join(services)}" if services else ""
    raise NoFix(f"cannot tell which {rtype}{hint} is at fault: {names}")


def _ecs_service(repo: TerraformRepo, svc: str) -> Block | None:
    direct = repo.get(f"aws_ecs_service.{svc}")
    if direct is not None:
        return direct
    for b in repo.of_type("aws_ecs_service"):
        name = repo.attribute(b, "name")
        if name and repo.resolve(name).strip('"') == svc:
            return b
    return None


def _locate_policy(repo: TerraformRepo, diagnosis: Diagnosis, services: list[str]) -> Block:
    text = " ".join(e.text for e in diagnosis.evidence)
    role_block = None
    m = _ROLE_IN_ARN.search(text)
    if m:
        for role in repo.of_type("aws_iam_role"):
            name = repo.attribute(role, "name")
            if name and repo.resolve(name).strip('"') == m.group(1):
                role_block = role
                break
    if role_block is None and ("ResourceInitializationError" in text or "unable to pull secrets" in text):
        # ECS reads injected secrets with the execution role, not the task role.
        role_block = next((repo.get(r) for svc in services for td in [_task_def(repo, svc)] if td
                           for r in td.references() if r.startswith("aws_iam_role.") and "execution" in r), None)
    if role_block is None:
        for svc in services:
            td = _task_def(repo, svc)
            if td is None:
                continue
            m2 = re.search(r"task_role_arn\s*=\s*(aws_iam_role\.[\w-]+)\.arn", td.text)
            if m2:
                role_block = repo.get(m2.group(1))
                break
    if role_block is None:
        raise NoFix("the denied role is not named in the evidence and no service's task role is known")
    # The policy attached to the role (`role = aws_iam_role.x.id`), not one that merely names the
    # role elsewhere (a deployer's iam:PassRole on it, say).
    attached = re.compile(rf"^\s*role\s*=\s*{re.escape(role_block.address)}\.(?:id|name)\b", re.M)
    policies = [p for p in repo.referencing(role_block.address, "aws_iam_role_policy")
                if "Statement" in p.text and attached.search(p.text)]
    if not policies:
        raise NoFix(f"{role_block.address} has no inline aws_iam_role_policy with a Statement list to extend")
    return policies[0]


def _task_def(repo: TerraformRepo, svc: str) -> Block | None:
    svc_block = _ecs_service(repo, svc)
    if svc_block is not None:
        ref = next((r for r in svc_block.references() if r.startswith("aws_ecs_task_definition.")), None)
        if ref:
            return repo.get(ref)
    return repo.get(f"aws_ecs_task_definition.{svc}")


# --- rules: (editor, block, diagnosis, repo) -> (attribute changed, rationale) ---

Change = tuple[str, str]  # (attribute changed, rationale)
Rule = Callable[[BlockEditor, Block, Diagnosis, TerraformRepo], Change]

def _task_memory(ed: BlockEditor, block: Block, diag: Diagnosis, repo: TerraformRepo) -> Change:
    cpu = _int(ed.get("cpu"), 256)
    mem = _int(ed.get("memory"), 512)
    new_cpu, new_mem = next_fargate_size(cpu, mem)
    ed.set("memory", str(new_mem))
    extra = ""
    if new_cpu != cpu:
        ed.set("cpu", str(new_cpu))
        extra = f" and cpu {cpu} -> {new_cpu} (Fargate needs it for that memory)"
    return "memory", (
        f"The task was killed for exceeding {mem} MiB. Raise {block.address} memory {mem} -> {new_mem} MiB{extra}. "
        "This is a stop-gap that buys time: if memory climbed steadily before the kill, find the leak."
    )


def _task_ephemeral(ed: BlockEditor, block: Block, diag: Diagnosis, repo: TerraformRepo) -> Change:
    cur = _int(ed.get("ephemeral_storage.size_in_gib"), 20)
    new = min(200, max(40, cur * 2))
    if new <= cur:
        raise NoFix(f"{block.address} already has the largest ephemeral storage (200 GiB)")
    ed.set("ephemeral_storage.size_in_gib", str(new))
    return "ephemeral_storage.size_in_gib", (
        f"The task's disk filled up. Raise {block.address} ephemeral storage {cur} -> {new} GiB, "
        "and find what writes to local disk (temp files, logs that should go to stdout)."
    )


def _max_connections(ed: BlockEditor, block: Block, diag: Diagnosis, repo: TerraformRepo) -> Change:
    match = {"name": '"max_connections"'}
    cur_raw = ed.get("parameter.value", match=match)
    cur = _int(cur_raw, 100)
    new = min(5000, cur * 2)
    ed.set("parameter.value", f'"{new}"', match=match)
    if cur_raw is None:
        ed.set("parameter.apply_method", '"pending-reboot"', match=match)
    return "parameter.max_connections", (
        f"PostgreSQL ran out of connection slots at max_connections={cur}. Raise it to {new} in {block.address} "
        "(a static parameter: it applies at the next reboot). Check the instance has memory for it, "
        "and keep every service's pool_size + max_overflow, times replicas, below it."
    )


def _allocated_storage(ed: BlockEditor, block: Block, diag: Diagnosis, repo: TerraformRepo) -> Change:
    cur = _int(ed.get("allocated_storage"))
    new = int(math.ceil(cur * 1.5 / 10.0) * 10)
    ed.set("allocated_storage", str(new))
    extra = ""
    max_raw = ed.get("max_allocated_storage")
    if max_raw is not None and _int(max_raw) <= new:
        ed.set("max_allocated_storage", str(new * 2))
        extra = f", and max_allocated_storage to {new * 2} so storage autoscaling has room"
    return "allocated_storage", (
        f"The database's storage is full. Raise {block.address} allocated_storage {cur} -> {new} GiB{extra}. "
        "Storage can grow in place but never shrink; also look for bloat or WAL held by a stale replication slot."
    )


def _node_type(ed: BlockEditor, block: Block, diag: Diagnosis, repo: TerraformRepo) -> Change:
    cur = ed.get("node_type")
    if cur is None:
        raise NoFix(f"{block.address} sets no node_type")
    new = next_node_type(cur.strip('"'))
    ed.set("node_type", f'"{new}"')
    return "node_type", (
        f"Redis reached maxmemory. Move {block.address} from {cur.strip(chr(34))} to {new} (roughly twice the memory). "
        "Before that, check for keys without a TTL: growth without bound will fill any size."
    )


def _health_timeout(ed: BlockEditor, block: Block, diag: Diagnosis, repo: TerraformRepo) -> Change:
    cur = _int(ed.get("health_check.timeout"), 5)
    interval = _int(ed.get("health_check.interval"), 30)
    new = min(120, cur * 2)
    if new <= cur:
        raise NoFix(f"{block.address} health check timeout is already at the maximum")
    ed.set("health_check.timeout", str(new))
    extra = ""
    if interval <= new:
        ed.set("health_check.interval", str(new + 5))
        extra = f" and interval {interval} -> {new + 5} s (it must exceed the timeout)"
    return "health_check.timeout", (
        f"Targets fail health checks that time out after {cur} s. Raise {block.address} health_check timeout "
        f"{cur} -> {new} s{extra}, and make sure the health endpoint does not wait on slow dependencies."
    )


def _idle_timeout(ed: BlockEditor, block: Block, diag: Diagnosis, repo: TerraformRepo) -> Change:
    cur = _int(ed.get("idle_timeout"), 60)
    new = min(4000, cur * 2)
    ed.set("idle_timeout", str(new))
    return "idle_timeout", (
        f"Requests outlive the load balancer's idle timeout ({cur} s) and get 504. Raise {block.address} "
        f"idle_timeout to {new} s only if these requests are expected to be long; otherwise make them shorter."
    )


def _iam_statement(ed: BlockEditor, block: Block, diag: Diagnosis, repo: TerraformRepo) -> Change:
    text = "\n".join(e.text for e in diag.evidence)
    m = _DENIED.search(text)
    if not m:
        raise NoFix("the evidence does not name the denied action (`is not authorized to perform: ...`)")
    action, resource = m.group(1), m.group(2)
    if not resource or "*" in action or "?" in action:
        raise NoFix(f"the evidence names {action} but no exact resource ARN; a wildcard grant is not proposed")
    # The same judge as the guardrail: an error that names `arn:aws:s3:::*` (the caller asked for
    # every bucket) must not become a grant on every bucket.
    if (wide := arn_breadth(resource)) is not None:
        raise NoFix(f"the evidence names {action} on {resource}, but {wide}: a wildcard grant is not proposed; "
                    "grant the exact resources the service needs by hand")
    sid = "Allow" + re.sub(r"[^A-Za-z0-9]", "", action.split(":", 1)[1])
    ed.insert_into_list("policy.Statement", [
        "{",
        f'  Sid      = "{sid}"',
        '  Effect   = "Allow"',
        f'  Action   = ["{action}"]',
        f'  Resource = ["{resource}"]',
        "},",
    ])
    return "policy", (
        f"The role behind {block.address} was denied {action} on {resource}. Allow exactly that action on exactly "
        "that resource, nothing wider."
    )


_RULES: dict[tuple[str, str], Rule] = {
    ("aws_ecs_task_definition", "memory"): _task_memory,
    ("aws_ecs_task_definition", "ephemeral_storage.size_in_gib"): _task_ephemeral,
    ("aws_db_parameter_group", "max_connections"): _max_connections,
    ("aws_db_instance", "allocated_storage"): _allocated_storage,
    ("aws_elasticache_replication_group", "node_type"): _node_type,
    ("aws_lb_target_group", "health_check.timeout"): _health_timeout,
    ("aws_lb", "idle_timeout"): _idle_timeout,
    ("aws_iam_role_policy", "policy"): _iam_statement,
}
RULE_KEYS = tuple(_RULES)
