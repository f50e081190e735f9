"""Guardrails on meaning: a proposed change is judged on the parsed Terraform, not on its text.

Text patterns missed what a parser sees at once: a `"*"` alone on a line of a list, `iam:Pass*`,
`NotAction`, `Principal = { AWS = "*" }`, `arn:aws:*:*:*:*`, `0.0.0.0/1` twice, `0::/0`, or a
stateful attribute indented by a tab. So both versions of the file are parsed with python-hcl2
(IAM policies inside `jsonencode(...)` and JSON heredocs too), and a finding counts when the
patched file has it and the original did not. A value that cannot be judged from the file (a
variable or interpolation where a CIDR, ARN or action goes) "needs review": it fails the check
like a violation, never passes as valid.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import re
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from doctor.prescribe.hcl import TerraformParseError, parse_hcl

# Stateful types and the arguments that force their replacement: data with its source note.
REPLACEMENT: dict[str, tuple[str, ...]] = {
    rtype: tuple(attrs or ()) for rtype, attrs in
    yaml.safe_load((Path(__file__).with_name("replacement.yaml")).read_text(encoding="utf-8")).items()
}
STATEFUL_TYPES = frozenset(REPLACEMENT)

# An ingress CIDR that covers public addresses must be at least this specific: /16 is one
# organisation's block at most; anything wider (0.0.0.0/1, 128.0.0.0/1, ::/0) is "the internet".
MIN_PUBLIC_PREFIX = {4: 16, 6: 48}

_WILD = re.compile(r"[*?]")
_TEMPLATE = re.compile(r"(?<![$%])[$%]\{")
# A reference to a resource or data source attribute (type.name.attribute): its value is that resource's own.
_REF = r"(?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?(?:\.[\w-]+(?:\[[^\]]*\])?)+"
_NON_RESOURCE_PREFIXES = ("var.", "local.", "module.", "each.", "count.", "path.", "self.", "terraform.")


@dataclass(frozen=True)
class Finding:
    """One problem: `key` identifies it across the two versions (new ones fail), `text` says it."""

    key: tuple[Hashable, ...]
    text: str
    review: bool = False  # cannot be judged from the file: a person must look


# --- values as python-hcl2 (8.x) returns them -------------------------------------------------

@dataclass(frozen=True)
class Value:
    """A scalar: a literal string/number/bool, or an expression/template we cannot evaluate."""

    literal: str | None  # decoded literal text, None when not literal
    source: str  # as written, for messages

    @property
    def is_literal(self) -> bool:
        return self.literal is not None


def scalar(raw: Any) -> Value:
    if isinstance(raw, bool):
        return Value("true" if raw else "false", str(raw).lower())
    if isinstance(raw, int | float):
        return Value(str(raw), str(raw))
    if not isinstance(raw, str):
        return Value(None, json.dumps(raw, default=str)[:120])
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        inner = raw[1:-1]
        if inner.startswith("<<"):
            body = _heredoc(inner)
            # A heredoc with interpolations is a template: not literal, its body kept as the source.
            return Value(None, body) if _TEMPLATE.search(body) else Value(body, inner.split("\n", 1)[0])
        if _TEMPLATE.search(inner):
            return Value(None, inner)
        try:
            text = json.loads('"' + inner + '"')
        except ValueError:
            return Value(None, inner)
        return Value(text.replace("$${", "${").replace("%%{", "%{"), inner)
    return Value(None, raw[2:-1] if raw.startswith("${") and raw.endswith("}") else raw)


def _heredoc(inner: str) -> str:
    head, _, rest = inner.partition("\n")
    body = rest.rsplit("\n", 1)[0] if "\n" in rest else ""
    if head.startswith("<<-"):  # indented heredoc: strip the common indentation
        lines = body.split("\n")
        indent = min((len(ln) - len(ln.lstrip()) for ln in lines if ln.strip()), default=0)
        body = "\n".join(ln[indent:] for ln in lines)
    return body


def _key(k: str) -> str:
    return k[1:-1] if len(k) >= 2 and k[0] == k[-1] == '"' else k


def _items(raw: Any) -> list[Any]:
    return raw if isinstance(raw, list) else [raw]


def _resources(parsed: dict[str, Any], kind: str = "resource") -> dict[str, tuple[str, dict[str, Any]]]:
    """address -> (type, body) for every `resource` (or `data`) block."""
    out = {}
    for entry in _items(parsed.get(kind, [])):
        for rtype, named in (entry.items() if isinstance(entry, dict) else ()):
            for name, body in (named.items() if isinstance(named, dict) else ()):
                if not isinstance(body, dict):
                    continue
                rt, nm = _key(rtype), _key(name)
                address = f"{rt}.{nm}" if kind == "resource" else f"data.{rt}.{nm}"
                out[address] = (rt, body)
    return out


@functools.lru_cache(maxsize=128)
def _parsed(text: str) -> dict[str, Any]:
    """Parsed once per text: the original file is judged again for every proposal against it."""
    return parse_hcl(text)


def _expression(text: str) -> Any:
    """An HCL expression's value (an object in `jsonencode(...)`), parsed by python-hcl2."""
    return parse_hcl(f"__v = {text}\n")["__v"]


# --- IAM --------------------------------------------------------------------------------------

_FIELDS = {
    "effect": "Effect", "action": "Action", "actions": "Action", "notaction": "NotAction",
    "not_actions": "NotAction", "resource": "Resource", "resources": "Resource", "notresource": "NotResource",
    "not_resources": "NotResource", "principal": "Principal", "principals": "Principal",
    "notprincipal": "NotPrincipal", "not_principals": "NotPrincipal",
}


def arn_breadth(arn: str) -> str | None:
    """Why an ARN (or `*`) covers more than named resources, or None when it names them.

    A wildcard in the partition, service, region or account covers other services or accounts;
    in the resource part it must come after the resource's own name (`bucket/*` is the objects of
    one bucket; `secret:*`, `role/*` and `*` are every resource of the kind).
    """
    if arn and set(arn) <= {"*", "?"}:
        return f"`{arn}` is every resource"
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return f"`{arn}` is not an ARN" if _WILD.search(arn) else None
    for label, part in zip(("partition", "service", "region", "account"), parts[1:5]):
        if _WILD.search(part):
            return f"`{arn}` has a wildcard {label}"
    service, resource = parts[2], parts[5]
    segments = [s for s in re.split(r"[:/]", resource) if s != ""]
    # S3 names buckets without a type prefix; elsewhere the first segment is the kind (role, secret, table).
    named = 1 if service == "s3" else 2
    for i, seg in enumerate(segments):
        if _WILD.search(seg):
            if i < named:
                kind = "bucket" if service == "s3" else "resource of its kind"
                return (f"`{arn}` matches any {kind}" if set(seg) <= {"*", "?"} else
                        f"`{arn}` matches every {kind} named like `{seg}`")
            return None
    return None


def _reference_scoped(v: Value) -> bool:
    """A managed resource's attribute (`aws_s3_bucket.b.arn`), alone or leading a template
    (`${aws_s3_bucket.b.arn}/*`): scoped to that resource. Variables and locals are not."""
    src = v.source
    if re.fullmatch(_REF, src):
        return not src.startswith(_NON_RESOURCE_PREFIXES)
    m = re.match(r"\$\{(" + _REF + r")\}", src)
    if not m or m.group(1).startswith(_NON_RESOURCE_PREFIXES):
        return False
    rest = src[m.end():]
    return not _TEMPLATE.search(rest) and not _WILD.match(rest)


def _only_resource_refs(source: str) -> bool:
    """A template whose every interpolation is a managed resource's attribute
    (`serviceAccount:${google_service_account.doctor.email}`): its value is that resource's own."""
    refs = re.findall(r"\$\{([^}]*)\}", source)
    return bool(refs) and "%{" not in source and all(
        re.fullmatch(_REF, r.strip()) and not r.strip().startswith(_NON_RESOURCE_PREFIXES) for r in refs)


def _statement_findings(where: str, stmt: dict[str, Any], out: list[Finding]) -> None:
    fields: dict[str, Any] = {}
    for k, v in stmt.items():
        name = _FIELDS.get(_key(k).lower())
        if name:
            fields[name] = v
    canon = json.dumps(stmt, sort_keys=True, default=str)
    effect = scalar(fields["Effect"]) if "Effect" in fields else Value("Allow", "Allow")
    if not effect.is_literal:
        out.append(Finding((where, canon, "Effect"), f"{where}: Effect is `{effect.source}`", review=True))
        return
    if effect.literal == "Deny":
        return  # a Deny narrows; its wildcards take away, not grant (anything else is judged as an Allow)

    def add(field: str, text: str, review: bool = False) -> None:
        out.append(Finding((where, canon, field, text), f"{where}: {text}", review))

    for field in ("NotAction", "NotResource", "NotPrincipal"):
        if field in fields:
            add(field, f"{field} in an Allow grants everything it does not list")
    for field in ("Action", "NotAction"):
        for item in _items(fields.get(field, [])):
            v = scalar(item)
            if v.literal is None:
                add(field, f"{field} `{v.source}` cannot be judged here", review=True)
            elif _WILD.search(v.literal):
                add(field, f"{field} `{v.literal}` is a wildcard ({'every action' if v.literal == '*' else 'a family of actions'})")
    for field in ("Resource", "NotResource"):
        for item in _items(fields.get(field, [])):
            v = scalar(item)
            if v.literal is None:
                if not _reference_scoped(v):
                    add(field, f"{field} `{v.source}` is not a literal ARN or a managed resource's", review=True)
            elif why := arn_breadth(v.literal):
                add(field, f"{field} {why}")
    for field in ("Principal", "NotPrincipal"):
        for who in _principals(fields.get(field)):
            v = scalar(who)
            if v.literal is None:
                if not _reference_scoped(v):
                    add(field, f"{field} `{v.source}` cannot be judged here", review=True)
            elif _WILD.search(v.literal) or (v.literal.startswith("arn:") and arn_breadth(v.literal)):
                add(field, f"{field} `{v.literal}` is anyone" if v.literal == "*" else
                    f"{field} `{v.literal}` is a wildcard principal")


def _principals(raw: Any) -> list[Any]:
    """`"*"`, `{ AWS = "*" }`, `{ AWS = [..] }`, or policy-document `principals { type, identifiers }` blocks."""
    if raw is None:
        return []
    out: list[Any] = []
    for item in _items(raw):
        if isinstance(item, dict):
            if "identifiers" in item:
                out.extend(_items(item["identifiers"]))
                if scalar(item.get("type", '""')).literal == "*":
                    out.append('"*"')
            else:
                for k, v in item.items():
                    if k != "__is_block__":
                        out.extend(_items(v))
        else:
            out.append(item)
    return out


def _walk_policies(where: str, node: Any, out: list[Finding], depth: int = 0) -> None:
    """Find IAM statements anywhere in a parsed block: HCL objects, `jsonencode(...)`, JSON strings."""
    if depth > 40:
        return
    if isinstance(node, dict):
        fields = {_FIELDS.get(_key(k).lower()): v for k, v in node.items()}
        # A statement's actions are strings; an `action { ... }` block (WAF rules, listeners) is not one.
        scalar_actions = not any(isinstance(x, dict) for f in ("Action", "NotAction") for x in _items(fields.get(f, [])))
        if scalar_actions and (fields.keys() & {"Action", "NotAction"} or {"Principal", "Effect"} <= fields.keys()):
            _statement_findings(where, node, out)
        for k, v in node.items():
            if k == "__is_block__":
                continue
            if _POLICY_ATTR.search(_key(k)) and isinstance(v, str) and not _policy_visible(v):
                out.append(Finding((where, k, v), f"{where}: {_key(k)} is `{scalar(v).source[:120]}`, a policy that "
                                   "cannot be read here", review=True))
            _walk_policies(where, v, out, depth + 1)
    elif isinstance(node, list):
        for v in node:
            _walk_policies(where, v, out, depth + 1)
    elif isinstance(node, str):
        inner = _function_arg(node, "jsonencode")
        if inner is not None:
            try:
                _walk_policies(where, _expression(inner), out, depth + 1)
            except TerraformParseError:
                pass  # not a policy we can read; a policy argument like this is caught by _policy_visible
            return
        v = scalar(node)
        templated = not v.is_literal and node.startswith('"<<')
        text = (v.literal if v.literal is not None else v.source if templated else "").strip()
        if text.startswith("{") and "statement" in text.lower():
            try:
                _walk_policies(where, _json_as_hcl(json.loads(text), templated), out, depth + 1)
            except ValueError:
                out.append(Finding((where, text[:200]), f"{where}: a policy that is not valid JSON", review=True))


# Arguments that hold a policy document (policy, assume_role_policy, ...): one we cannot see into needs review.
_POLICY_ATTR = re.compile(r"^(?:policy|assume_role_policy|policy_document|access_policies)$")
_DOCUMENT_REF = re.compile(r"\$\{data\.aws_iam_policy_document\.[\w-]+(?:\[[^\]]*\])?\.(?:json|minified_json)\}")


def _policy_visible(raw: str) -> bool:
    """Whether a policy argument's value is something the walker reads: a literal or heredoc, a
    `jsonencode` of an object written here, or a policy document (judged where it is defined)."""
    if _DOCUMENT_REF.fullmatch(raw.strip()):
        return True
    inner = _function_arg(raw, "jsonencode")
    if inner is not None:
        try:
            return isinstance(_expression(inner), dict | list)
        except TerraformParseError:
            return False
    return raw.startswith('"')


def _function_arg(raw: str, fn: str) -> str | None:
    m = re.fullmatch(rf"\$\{{\s*{fn}\((.*)\)\s*\}}", raw, re.DOTALL)
    return m.group(1) if m else None


def _json_as_hcl(value: Any, templated: bool = False) -> Any:
    """JSON decoded to the shape python-hcl2 gives (strings quoted), so one walker judges both.
    From a heredoc with interpolations, `${...}` stays an interpolation (judged as one)."""
    if isinstance(value, dict):
        return {k: _json_as_hcl(v, templated) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_as_hcl(v, templated) for v in value]
    if isinstance(value, str):
        quoted = json.dumps(value)
        return quoted if templated else quoted.replace("${", "$${")
    return value


# --- ingress CIDRs ----------------------------------------------------------------------------

_CIDR_ATTRS = frozenset({"cidr_blocks", "ipv6_cidr_blocks", "cidr_ipv4", "cidr_ipv6", "source_ranges"})


# IPv6 prefixes that carry IPv4 addresses (IPv4-mapped, NAT64): judged as the IPv4 block they embed.
_EMBEDS_V4 = tuple(ipaddress.IPv6Network(n) for n in ("::ffff:0:0/96", "64:ff9b::/96"))


def cidr_breadth(text: str) -> tuple[str | None, bool]:
    """(why the CIDR opens ingress to the internet, needs review) for one literal CIDR."""
    try:
        net = ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return f"`{text}` is not a CIDR", True
    for carrier in _EMBEDS_V4:
        if isinstance(net, ipaddress.IPv6Network) and net.subnet_of(carrier):
            v4 = ipaddress.ip_network((int(net.network_address) & 0xFFFFFFFF, net.prefixlen - 96))
            why, review = cidr_breadth(str(v4))
            return (f"`{text}` carries IPv4 {v4}: {why}" if why else None), review
    if net.is_private and net.prefixlen >= 8:
        return None, False
    if net.prefixlen < MIN_PUBLIC_PREFIX[net.version]:
        return (f"`{text}` ({net}) opens ingress to public addresses, wider than "
                f"/{MIN_PUBLIC_PREFIX[net.version]}"), False
    return None, False


def _egress(rtype: str, body: dict[str, Any]) -> bool:
    if rtype in ("aws_vpc_security_group_egress_rule",):
        return True
    kind = scalar(body.get("type", '""')).literal or ""
    direction = scalar(body.get("direction", '""')).literal or ""
    return (rtype == "aws_security_group_rule" and kind == "egress") or direction.upper() == "EGRESS" or (
        rtype.startswith("aws_network_acl") and scalar(body.get("egress", False)).literal == "true")


def _walk_cidrs(where: str, rtype: str, node: dict[str, Any], out: list[Finding], block: str = "", depth: int = 0) -> None:
    if depth > 20 or block == "egress":
        return
    for k, v in node.items():
        if k == "__is_block__":
            continue
        is_cidr = k in _CIDR_ATTRS or (k == "cidr_block" and rtype.startswith("aws_network_acl")) or (
            k == "value" and block == "authorized_networks")
        if is_cidr:
            for item in _items(v):
                s = scalar(item)
                path = f"{where}.{k}"
                if s.literal is None:
                    out.append(Finding((path, s.source), f"{path} = `{s.source}`: a CIDR that cannot be judged here",
                                       review=True))
                    continue
                why, review = cidr_breadth(s.literal)
                if why:
                    out.append(Finding((path, s.literal), f"{path}: {why}", review))
        else:
            for sub in _items(v):
                if isinstance(sub, dict):
                    _walk_cidrs(where, rtype, sub, out, k, depth + 1)


# --- the checks -------------------------------------------------------------------------------

# Google IAM's principals for "anyone": a binding to them makes the resource public.
_GOOGLE_PUBLIC = frozenset({"allUsers", "allAuthenticatedUsers"})
_GOOGLE_IAM = re.compile(r"^google_\w+_iam_(?:member|binding)$")


def iam_findings(parsed: dict[str, Any]) -> list[Finding]:
    out: list[Finding] = []
    for kind in ("resource", "data"):
        for address, (rtype, body) in _resources(parsed, kind).items():
            _walk_policies(address, body, out)
            if kind == "resource" and _GOOGLE_IAM.match(rtype):
                _google_members(address, body, out)
    return out


def _google_members(where: str, body: dict[str, Any], out: list[Finding]) -> None:
    role = scalar(body.get("role", '""'))
    for field in ("member", "members"):
        for item in _items(body.get(field, [])):
            v = scalar(item)
            if not v.is_literal and not _only_resource_refs(v.source):
                out.append(Finding((where, field, v.source, role.source), f"{where}: {field} `{v.source}` cannot be "
                                   "judged here", review=True))
            elif v.literal in _GOOGLE_PUBLIC:
                out.append(Finding((where, field, v.literal, role.source),
                                   f"{where}: {field} `{v.literal}` grants {role.literal or role.source} to anyone"))


def ingress_findings(parsed: dict[str, Any]) -> list[Finding]:
    out: list[Finding] = []
    for address, (rtype, body) in _resources(parsed).items():
        if not _egress(rtype, body):
            _walk_cidrs(address, rtype, body, out)
    return out


def _attr_value(body: dict[str, Any], path: str) -> str | None:
    """The argument at `path` (`a.b` in nested blocks), as written; None when unset."""
    node: Any = body
    for part in path.split("."):
        if isinstance(node, list):
            node = node[0] if len(node) == 1 else node
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    if isinstance(node, str | int | float | bool):
        v = scalar(node)
        return json.dumps(v.literal) if v.is_literal else v.source
    return json.dumps(node, sort_keys=True, default=str)


def stateful_problems(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    old, new = _resources(before), _resources(after)
    problems = []
    for address, (rtype, body) in old.items():
        if rtype not in STATEFUL_TYPES:
            continue
        if address not in new:
            problems.append(f"deletes {address}")
            continue
        for attr in REPLACEMENT[rtype]:
            was, now = _attr_value(body, attr), _attr_value(new[address][1], attr)
            if was != now:
                problems.append(f"changes {address}.{attr} ({_short(was)} -> {_short(now)}), which replaces it")
    return problems


def _short(value: str | None) -> str:
    if value is None:
        return "unset"
    return value if len(value) <= 60 else value[:57] + "..."


def new_findings(before: list[Finding], after: list[Finding]) -> list[Finding]:
    seen = {f.key for f in before}
    out, keys = [], set()
    for f in after:
        if f.key not in seen and f.key not in keys:
            keys.add(f.key)
            out.append(f)
    return out


def parsed_pair(before: str, after: str) -> tuple[dict[str, Any], dict[str, Any]]:
    return _parsed(before), _parsed(after)
