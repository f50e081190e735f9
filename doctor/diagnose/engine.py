"""The offline diagnosis engine: signatures matched against a digest, ranked by evidence.

Ranking rules, in order of effect:
- a template's weight grows with its level, its volume (log scale), a burst
  in the incident window (x2) and being new in it (x1.5); a template that is
  new, bursting or went quiet counts at least as an error whatever its level;
  one seen only in the baseline counts a third, one logged steadily before and
  during the incident a half: steady old noise is not the incident;
- a symptom signature (HTTP 5xx, 502s) ranks after every cause, so the DB
  connection limit beats the 500s it causes even when the limit is logged at
  INFO and the 500s at ERROR; as a rival it counts 0.35 of a cause;
- each signature's own weight says how specific it is.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from doctor.diagnose.base import AnalysisContext
from doctor.diagnose.calibration import Calibration, load_calibration
from doctor.diagnose.catalog import ROLE_FACTOR, Signature, load_catalog
from doctor.diagnose.scorer import Score, TermScorer, load_scorer, routine
from doctor.digest import Digest, TemplateStats, infer_level
from doctor.models import NO_PROBLEM, Diagnosis, Evidence, own_name, read_for

# Platform events name the service in their text: `(service executor) (task ...) stopped`.
_MENTIONED_SERVICE = re.compile(r"\(service ([\w.-]+)\)")
_LEVEL = {"CRITICAL": 1.5, "ERROR": 1.0, "WARNING": 0.6, "INFO": 0.25, "DEBUG": 0.1}
MAX_EVIDENCE = 5
# An exception line (`TypeError: ...`, `java.lang.NullPointerException`, `psycopg2.OperationalError: ...`)
# is error evidence whatever level its header carried: the last line of a traceback usually has no
# header of its own and inherits INFO, while the `Traceback` line above it is the one marked ERROR.
# docker compose prefixes each line with `service_1  | `.
_EXCEPTION_LINE = re.compile(r"(?:(?:<\*>|[\w.-]{1,60}) *\| *)?(?:[A-Za-z_][\w$]*\.){0,8}[A-Z]\w{0,60}(?:Error|Exception)\b:?")
DEPLOY_SHARE = 0.5  # alternative_share of a candidate that is close by its nature, not by a score
# A dependency refused on the service's own host. In a container that usually means its address
# setting is missing and the client fell back to its default (localhost): in the public corpus's
# readable half three of four such cases were that, one a broker that was not up yet. A sidecar
# that is down (a database proxy on 127.0.0.1) reads the same, so the dependency stays the first
# alternative. Dalli (Ruby's memcached client) says `127.0.0.1:11211 is still down` for the same thing. Bounded
# gaps keep the regex linear on long lines.
_LOOPBACK_REFUSED = re.compile(
    r"(?:ECONNREFUSED|[Cc]onnection refused|[Cc]an't reach database server at).{0,60}?(?<![\w.])"
    r"(?:127\.0\.0\.1|localhost|\[::1\])(?![\w.])"
    r"|(?<![\w.])(?:127\.0\.0\.1|localhost|\[::1\]):\d{1,5}\b.{0,80}?(?:ECONNREFUSED|[Cc]onnection refused|is still down)")
_REACHES_A_DEPENDENCY = frozenset({"broker_connection", "db_connections", "network_reset", "cache_memory"})
# Causes that explain another category's failures when both are in the logs: a clock that is off makes
# valid certificates and DNSSEC signatures look expired or not yet valid, so the TLS or DNS errors it
# causes (usually louder and more numerous) are its symptoms, not a rival cause.
_EXPLAINS = {"clock_skew": frozenset({"tls", "dns"})}
# A platform checking one port while the service says it listens on another: the classic wrong
# PORT setting (Fly's internal_port, Cloud Run's PORT, a target group's port). Only a check that
# misses every port the service announced counts, so a second listener (metrics) changes nothing.
_CHECKED_PORT = re.compile(r"(?i)\b(?:probe|health ?check)\b.{0,80}?\bon port (\d{2,5})\b"
                           r"|listen on the port defined by the PORT=(\d{2,5})")
# The listening address must follow "on/at/to" directly, so a time (Rails' `Started GET "/" for ...
# at 10:00:00`) is never read as a port.
_LISTENING_PORT = re.compile(
    r"(?i)\b(?:listening|running|serving|started|bound)\b.{0,30}?\b(?:on|at|to)\b:?\s{0,3}(?:https?://)?"
    r"(?:\d{1,3}(?:\.\d{1,3}){3}|localhost|\[[0-9a-f:]{0,39}\]|[a-z][\w.-]{0,60}|:{0,2})?:(\d{2,5})\b(?!:)"
    r"|\blistening on port (\d{2,5})\b")
_CHECKED_BY_A_PLATFORM = frozenset({"lb_health", "timeout"})
# A name lookup of a whole URL: the client was given `http://logstash:5044` or `redis://redis:6379/0` where its
# setting wants a host name (filebeat's `lookup http://logstash:5044`, redis-py's `Error -2 connecting to
# redis://...`, Node's `ENOTFOUND redis://...`, a URL inside another: `tcp://[http://logstash:5044]:5044`). The
# name cannot resolve, so DNS is reported, but the setting is what is wrong.
_URL_AS_HOST = re.compile(r"(?:\blookup |\bENOTFOUND |\bError -?\d{1,5} connecting to |://\[?)[a-z][a-z0-9+.\-]{0,20}://")
# A host name with an `@` in it: a connection URL whose password holds an unescaped `@` (or `/`, `?`), so the parser
# took the password's tail for the host (libpq's `could not translate host name "s3cr@db"`, Go's `lookup p@ss@db`,
# Node's `getaddrinfo ENOTFOUND p@db`). A name never holds an `@`: the URL setting is wrong, not DNS.
_CREDENTIALS_AS_HOST = re.compile(r'(?:could not translate host name "|\blookup |\bENOTFOUND |\bEAI_AGAIN )[^\s"@/]{1,200}@')
# The name a resolver said does not exist (NXDOMAIN, not a timeout or a failing server), as Go, Node, the JVM, libpq,
# OpenSSH and curl word it.
_NO_SUCH_NAME = re.compile(r"\blookup ([^\s:]{1,253})(?: on \S{1,80})?: no such host|\bENOTFOUND ([^\s'\"\\]{1,253})"
                           r"|UnknownHostException: ([^\s:]{1,253})|could not translate host name \"([^\"]{1,253})\" to "
                           r"address: (?:Name or service not known|nodename nor servname|Unknown host)"
                           r"|Could not resolve host(?:name)?:? ([^\s:\\\"'(),;]{1,253})")
_PRINT_THE_SETTING = "Print the address setting the failing client reads (environment, config file)."
# What no host name holds: a port glued to it (`core-mosquitto:1883`), an assignment, a variable left unexpanded.
_NOT_A_NAME = re.compile(r"^[^\s]{0,200}?(?::\d{1,5}$|[=${}%])")
# An AWS endpoint whose name does not resolve because its region does not exist (`na-east-1` for
# `us-east-1`): the region setting is wrong, not DNS. AWS's published regions; a region launched after
# this list makes the rule name configuration first and DNS as the close alternative, never hide it. An availability
# zone where the region belongs (`cloudformation.us-east-1a.amazonaws.com`) is the same mistake.
_AWS_ENDPOINT = re.compile(r"\b[a-z0-9-]{1,40}\.([a-z]{2,4}(?:-gov)?-[a-z]{2,12}-\d{1,2}[a-z]?)\.amazonaws\.com\b")
AWS_REGIONS = frozenset("""
    us-east-1 us-east-2 us-west-1 us-west-2 us-gov-east-1 us-gov-west-1 ca-central-1 ca-west-1 mx-central-1
    sa-east-1 af-south-1 il-central-1 me-south-1 me-central-1 eu-central-1 eu-central-2 eu-west-1 eu-west-2
    eu-west-3 eu-south-1 eu-south-2 eu-north-1 ap-east-1 ap-east-2 ap-south-1 ap-south-2 ap-southeast-1
    ap-southeast-2 ap-southeast-3 ap-southeast-4 ap-southeast-5 ap-southeast-6 ap-southeast-7 ap-northeast-1
    ap-northeast-2 ap-northeast-3 cn-north-1 cn-northwest-1""".split())


def template_weight(t: TemplateStats, digest: Digest) -> float:
    level = _LEVEL[t.level]
    if level < _LEVEL["ERROR"] and _EXCEPTION_LINE.match(t.text):
        level = _LEVEL["ERROR"]
    if t.changed:
        # New, bursting or gone quiet: evidence whatever its level (agents report a killed
        # container at INFO, client libraries a dropped connection at DEBUG).
        level = max(level, _LEVEL["ERROR"])
    w = level * (1.0 + math.log10(t.count))
    if t.bursting:
        w *= 2.0
    if t.new:
        w *= 1.5
    if digest.incident_start is not None:
        if t.count_in_window == 0 and t.stopped is None:
            w *= 0.3
        elif t.count_baseline and not t.changed:
            w *= 0.5  # steady: logged before the incident at the same rate, so not what changed
    return w


def signature_texts(digest: Digest) -> list[tuple[TemplateStats, str, str | None]]:
    """What the signatures read of each template: its text and exemplars, and that text lowercased when it is ASCII
    (`Signature.matches` rules a pattern out by its literal prefix there)."""
    return [(t, text, text.lower() if text.isascii() else None)
            for t, text in ((t, "\n".join([t.text, *t.exemplars])) for t in digest.templates)]


@dataclass
class Candidate:
    signature: Signature
    score: float
    templates: list[TemplateStats]


class OfflineAnalyzer:
    """Root cause from the bundled signature catalog; needs no network and no credentials."""

    name = "offline"

    def __init__(self, *, extra_signatures: Path | None = None, scorer: TermScorer | None = None,
                 calibration: Calibration | None = None, catalog: tuple[Signature, ...] | None = None) -> None:
        # `catalog` replaces the bundled signatures outright (the scorer's fit judges the engine without the
        # patterns a case taught it); `extra_signatures` adds to them.
        self.catalog = catalog if catalog is not None else load_catalog(extra_signatures)
        self.scorer = scorer or load_scorer()
        # What the on-call is shown: how often such answers were right (`Calibration()` shows the raw margin).
        self.calibration = calibration if calibration is not None else load_calibration()

    def candidates(self, digest: Digest) -> list[Candidate]:
        """Every signature with evidence in the digest, best first."""
        found: list[Candidate] = []
        texts = signature_texts(digest)
        for sig in self.catalog:
            matched = [t for t, text, folded in texts if sig.matches(text, folded)]
            if not matched:
                continue
            score = sum(template_weight(t, digest) for t in matched) * ROLE_FACTOR[sig.role] * sig.weight
            found.append(Candidate(sig, score, sorted(matched, key=lambda t: -template_weight(t, digest))))
        # A symptom says what users saw, never why: any cause that matched comes first.
        found.sort(key=lambda c: (c.signature.role == "symptom", -c.score, c.signature.id))
        if found and found[0].signature.role == "cause":
            explained = found[0].signature.category
            upstream = next((c for c in found if c.signature.role == "cause"
                             and explained in _EXPLAINS.get(c.signature.category, ())), None)
            if upstream is not None:
                found.remove(upstream)
                found.insert(0, upstream)
        return found

    def analyze(self, digest: Digest, *, context: AnalysisContext | None = None) -> Diagnosis:
        context = context or AnalysisContext()
        cands = self.candidates(digest)
        notes = list(context.notes) + list(digest.notes)
        # The scorer reads the same evidence whichever path asks (its answer, its candidates): read it once.
        words: list[list[Score]] = []

        def read() -> list[Score]:
            if not words:
                words.append(self.scorer.read(digest))
            return words[0]

        def favourites() -> list[Score]:
            return self.scorer.answer(read())

        if context.deploy_regression:
            notes.insert(0, context.deploy_regression)
        if not cands or cands[0].signature.role == "symptom":
            # No cause signature: the term scorer may still recognise the wording, but not from the
            # symptoms' lines alone ("500 Internal Server Error" says what users saw, not why).
            symptoms = [t for c in cands for t in c.templates if c.signature.role == "symptom"]
            scored = favourites() if _beyond(digest, symptoms) else []
            if scored:
                symptom = cands[0].signature.category if cands else None
                return self._scored(digest, notes, scored, symptom, context)
        if not cands:
            errors = digest.evidence()
            if context.deploy_regression and errors:
                return _after_deploy(digest, notes, context.deploy_regression, rival=None)
            return _no_signature(digest, errors, notes, self.scorer.leaning(read()))
        best = cands[0]
        rivals = [c for c in cands if c.signature.category != best.signature.category]
        second = rivals[0].score if rivals else 0.0
        # Raw confidence: how much the best explanation outweighs the next different one, damped when only
        # symptoms matched. The deploy rule below reads it; the on-call is shown it calibrated (`Calibration`).
        confidence = 0.35 + 0.6 * best.score / (best.score + second + 1.0)
        if best.signature.role == "symptom":
            confidence = min(confidence, 0.45)
        # Errors that began right after a deploy and that only a symptom or a weak match explains:
        # the deploy is the better explanation (a specific cause, like a missing column, stays first).
        if context.deploy_regression and best.signature.category != "deploy_regression" and confidence < 0.5:
            return _after_deploy(digest, notes, context.deploy_regression, rival=best.signature.category)
        sig = best.signature
        mentioned = sorted({m for t in best.templates for ex in t.exemplars for m in _MENTIONED_SERVICE.findall(ex)})
        # Map entries: a platform line read for a service ("ecs-events via executor") is ecs-events'.
        services = list(dict.fromkeys(own_name(s) for s in mentioned + sorted(
            {s for t in best.templates for s in t.services} - set(mentioned))))
        resources = [f"service:{s}" for s in services]
        # The alternatives close by their nature rather than by a score, each with the reason the on-call is shown.
        alternatives, why = [], ""
        if context.deploy_regression and sig.category != "deploy_regression":
            alternatives, why = ["deploy_regression"], "a deploy came right before the errors"
        category, summary, root_cause, next_steps, fix = sig.category, sig.summary, sig.root_cause, sig.next_steps, sig.fix
        wrong = _wrong_address(sig, best.templates, digest)
        if wrong is not None:
            category, fix = "config_error", None
            alternatives.insert(0, sig.category)
            why = "the usual reading of these words"
            summary, root_cause, next_steps = wrong
        if sig.also and sig.also != category and sig.also not in alternatives:
            alternatives.append(sig.also)  # what these words meant instead in enough real incidents
            why = why or "what these words often meant in real incidents"
        if fix:
            resources.append(fix["resource"])
        # A deploy right before the errors, the category whose words an address setting wore, or the one the
        # signature's words often meant instead is always a close candidate; otherwise the runner-up's score.
        share = DEPLOY_SHARE if alternatives else (rivals[0].score / best.score if rivals else 0.0)
        for c in cands[1:]:
            if c.signature.category not in alternatives and c.signature.category != category:
                alternatives.append(c.signature.category)
        favoured = [s.category for s in favourites()]
        if favoured and favoured[0] not in alternatives and favoured[0] != category:
            alternatives.append(favoured[0])  # the wording's favourite, when the signatures name another
        if category == "other":  # a symptom that names no cause: where the wording leans, as for no signature
            alternatives += [c for c in self.scorer.leaning(read()) if c not in alternatives]
        where = f" in {', '.join(services)}" if services else ""
        return Diagnosis(
            summary=f"{summary}{where}",
            category=category,
            root_cause=root_cause,
            evidence=[_evidence(t) for t in best.templates[:MAX_EVIDENCE]],
            confidence=round(min(self.calibration.for_signature(sig.id, confidence), 0.95), 2),
            affected_resources=resources,
            next_steps=list(next_steps),
            provider=self.name,
            signature=sig.id,
            fix_hint=dict(fix) if fix else None,
            alternatives=alternatives[:4],
            alternative_share=round(min(1.0, share), 2) if alternatives else 0.0,
            alternative_why=why,
            notes=notes,
        )

    def _scored(self, digest: Digest, notes: list[str], scored: list[Score], symptom: str | None,
                context: AnalysisContext) -> Diagnosis:
        """A diagnosis from the term scorer alone: a category, never a fix target, and the confidence its answers
        earned in cross-validation."""
        top = scored[0]
        runner_up = scored[1].score if len(scored) > 1 else 0.0
        confidence = min(0.5, 0.25 + 0.25 * (top.score - runner_up) / (top.score + 1.0))
        if context.deploy_regression and top.category != "deploy_regression":
            return _after_deploy(digest, notes, context.deploy_regression, rival=top.category)
        evidence = [t for t in digest.evidence() or digest.ranked()
                    if any(term in t.text.lower() for term in top.terms)] or digest.ranked()
        like = next((s for s in self.catalog if s.category == top.category and s.role == "cause"), None)
        alternatives = [s.category for s in scored[1:] if s.category != top.category]
        if symptom and symptom not in alternatives and symptom != top.category:
            alternatives.insert(0, symptom)
        services = sorted({s for t in evidence[:MAX_EVIDENCE] for s in t.services})
        return Diagnosis(
            summary=f"Probably {top.category.replace('_', ' ')}: no signature matched, but the wording is typical of it",
            category=top.category,
            root_cause=f"No known message matched. The evidence's words ({', '.join(top.terms[:4])}) are typical of "
                       f"{top.category} incidents in real logs; read the lines below to confirm.",
            evidence=[_evidence(t) for t in evidence[:MAX_EVIDENCE]],
            confidence=round(min(self.calibration.for_scorer(confidence, top.log_odds), 0.95), 2),
            affected_resources=[f"service:{s}" for s in services],
            next_steps=list(like.next_steps) if like else [],
            provider=self.name,
            signature=None,
            alternatives=alternatives[:4],
            alternative_share=(DEPLOY_SHARE if symptom and alternatives[:1] == [symptom]
                               else round(runner_up / top.score, 2) if alternatives else 0.0),
            alternative_why="what users saw, which a signature named" if symptom and alternatives[:1] == [symptom]
            else "",
            notes=notes,
        )


def _wrong_address(sig: Signature, matched: list[TemplateStats], digest: Digest) -> tuple[str, str, tuple[str, ...]] | None:
    """When the failure a signature names comes from an address setting instead: a dependency refused
    on localhost, an AWS endpoint in a region that does not exist, a URL looked up as a host name (or a
    password's tail, after an unescaped `@`), or a health check on a port the service does not listen on.
    Returns the summary, root cause and next steps of that configuration error, else None."""
    if sig.category in _REACHES_A_DEPENDENCY and _in_exemplars(_LOOPBACK_REFUSED, matched):
        return ("A dependency was refused on localhost: its address setting is probably missing",
                "The client connected to the service's own host (localhost) and was refused. Inside a container "
                "that is the default a client falls back to when its host setting is unset or misnamed; if a "
                f"sidecar serves that port, read it as: {sig.root_cause}",
                ("Print the effective host and port the failing client uses (environment, config file).",
                 "Set the dependency's address (its service name or endpoint) and restart; "
                 "if a sidecar serves localhost, check that it is up.", *sig.next_steps[:1]))
    if sig.category == "dns":
        unknown = sorted({r for t in matched for ex in t.exemplars for r in _AWS_ENDPOINT.findall(ex)} - AWS_REGIONS)
        if unknown:
            zone = unknown[0][-1].isalpha() and unknown[0][:-1] in AWS_REGIONS
            return (f"The configured AWS region '{unknown[0]}' does not exist"
                    + (f": it is an availability zone of {unknown[0][:-1]}" if zone else ""),
                    f"The SDK built an endpoint for region '{unknown[0]}', which AWS does not have, so its name "
                    "cannot resolve: the region setting is wrong (a typo, a placeholder or an availability zone), "
                    "not DNS.",
                    ("Print the region the client uses (AWS_REGION, AWS_DEFAULT_REGION, the SDK or CLI config).",
                     "Set it to the region the resources live in and redeploy."))
        if _in_exemplars(_URL_AS_HOST, matched):
            return ("A URL was given where a host name belongs",
                    "The client looked up a whole URL (its scheme included) as if it were a host name, so the name "
                    "cannot resolve: the address setting holds a URL where the client wants a host (or host:port), "
                    "not a DNS fault.",
                    (_PRINT_THE_SETTING,
                     "Give it the host name (and port) alone, or use the client's URL setting for a URL; redeploy."))
        names = [next(g for g in m.groups() if g) for t in matched for ex in t.exemplars
                 for m in _NO_SUCH_NAME.finditer(ex)]
        malformed = next((n for n in names if _NOT_A_NAME.match(n)), None)
        if malformed is not None:
            return (f"The host setting holds '{malformed}', which is no host name",
                    f"The client looked up '{malformed}': the setting it reads holds more than a host name (a port, "
                    "an assignment or an unexpanded variable glued to it), so no resolver can answer. The address "
                    "setting is wrong, not DNS.",
                    (_PRINT_THE_SETTING,
                     "Give the host alone (and the port in its own setting), then redeploy."))
        if _in_exemplars(_CREDENTIALS_AS_HOST, matched):
            return ("A connection URL's password was read as part of its host",
                    "The client looked up a host name holding an '@': the connection URL's password contains a "
                    "character URLs reserve ('@', '/', '?', '#'), so the parser split the URL inside the password and "
                    "took its tail for the host. The URL setting is wrong, not DNS.",
                    ("Percent-encode the password in the URL ('@' as %40, '/' as %2F), or pass the user and password "
                     "as separate settings.", "Redeploy and watch the connection open."))
        return None
    if sig.category not in _CHECKED_BY_A_PLATFORM:
        return None
    checked = _ports(_CHECKED_PORT, matched)
    # The service's own announcement, wherever it is: platform lines read for a service
    # ("ecs-events via executor") belong with that service's lines.
    owners = {read_for(s) for t in matched for s in t.services}
    listening = _ports(_LISTENING_PORT, [t for t in digest.templates
                                         if not owners or owners & {read_for(s) for s in t.services}])
    if not checked or not listening or checked & listening:
        return None
    said, heard = ", ".join(sorted(checked)), ", ".join(sorted(listening))
    return (f"Health checks probe port {said} but the service listens on {heard}",
            f"The platform checks port {said}, while the service announced it listens on {heard}: the checks "
            "can never pass, so instances are replaced or never receive traffic. The port setting (the "
            "platform's internal or target port, or the PORT the service reads) disagrees with the service.",
            (f"Make the two agree: have the service listen on {said} (its PORT setting), or point the platform's "
             f"port (internal_port, the target group's port, the probe's port) at {heard}.",
             "Redeploy and watch the first health check pass."))


def _in_exemplars(pattern: re.Pattern[str], templates: list[TemplateStats]) -> bool:
    return any(pattern.search(ex) for t in templates for ex in t.exemplars)


def _ports(pattern: re.Pattern[str], templates: list[TemplateStats]) -> set[str]:
    return {a or b for t in templates for ex in t.exemplars for a, b in pattern.findall(ex)}


def _beyond(digest: Digest, symptoms: list[TemplateStats]) -> bool:
    """Whether the digest has evidence (errors or changes, else any lines) besides the symptoms' templates."""
    seen = {id(t) for t in symptoms}
    return not seen or any(id(t) not in seen for t in digest.evidence() or digest.ranked())


def _first_line(t: TemplateStats) -> str:
    return t.exemplars[0] if t.exemplars else t.text


def _evidence(t: TemplateStats) -> Evidence:
    return Evidence(
        text=_first_line(t),
        count=t.count,
        first_seen=t.first_seen,
        last_seen=t.last_seen,
        services=sorted(t.services),
    )


def _after_deploy(digest: Digest, notes: list[str], sentence: str, *, rival: str | None) -> Diagnosis:
    top = digest.evidence()[:MAX_EVIDENCE]
    return Diagnosis(
        summary="Errors began right after a deploy",
        category="deploy_regression",
        root_cause=f"{sentence} No more specific cause explains the errors, so the new version is the "
                   "likeliest cause.",
        evidence=[_evidence(t) for t in top],
        confidence=0.6,
        affected_resources=sorted({f"service:{own_name(s)}" for t in top for s in t.services}),
        next_steps=["Roll back to the previous version (redeploy the previous image tag) and watch the errors stop.",
                    "Diff the two versions: configuration, dependencies, migrations."],
        alternatives=[rival] if rival else [],
        alternative_share=DEPLOY_SHARE if rival else 0.0,  # the rival had evidence too, only weak
        alternative_why="what the errors' own words named, less surely than the deploy" if rival else "",
        notes=notes,
    )


def _no_signature(digest: Digest, errors: list[TemplateStats], notes: list[str], leaning: list[str]) -> Diagnosis:
    """The answer "other": nothing in the window, warnings only, or errors no signature names and whose wording is
    too weak for the scorer's answer. `errors` is `digest.evidence()`; `leaning` (the scorer's candidates below its
    bar) become the alternatives."""
    # Warnings that are not the service's routine are no all-clear: an excerpt pasted from an incident often has
    # nothing above WARNING (a client's `Caught LDAPError … Can't contact LDAP server`), and a window's steady
    # warning, logged across most of it, stays routine. Nor is a line logged below WARNING whose words say it failed
    # (supervisord's `INFO exited: unicorn (exit status 1; not expected)`, dask's `INFO - Could not launch service`).
    warnings = [t for t in digest.ranked() if not routine(t, digest) and (
        t.level == "WARNING" or (not t.is_error and infer_level(_first_line(t)) == "ERROR"))] if not errors else []
    if not errors and not warnings:
        return Diagnosis(
            summary=NO_PROBLEM,
            category="other",
            root_cause=f"No errors in {digest.lines_in:,} lines and nothing new, bursting or gone quiet; "
                       "nothing in the window points at a failure.",
            confidence=0.5 if digest.lines_in else 0.1,
            next_steps=["If users see a problem, widen the window or add the service whose logs are missing."],
            notes=notes + ([] if digest.lines_in else ["No log lines arrived for this window."]),
        )
    top = (errors or warnings)[:MAX_EVIDENCE]
    if errors:
        summary = f"Unrecognised {'errors' if top[0].is_error else 'change'}: {top[0].text[:120]}"
        found = ("The errors and changes (new, bursting or silent lines of any level) match no known signature; "
                 "the most telling are listed as evidence.")
        steps = ["Read the evidence lines; a cloud model (DOCTOR_RCA_PROVIDER=gemini) may recognise them."]
    else:
        summary = f"No errors; unrecognised warnings: {top[0].text[:120]}"
        found = ("No error lines and nothing new, bursting or gone quiet, but warnings, or lines below ERROR whose "
                 "words say something failed, that are not the service's routine; no signature names them.")
        steps = ["Read the warnings: a failure a client retries is often logged below ERROR.",
                 "If users see a problem, widen the window or add the service whose logs are missing."]
    return Diagnosis(
        summary=summary,
        category="other",
        root_cause=found + (f" Their wording leans toward {' or '.join(c.replace('_', ' ') for c in leaning[:2])}, "
                            "too weakly to name a cause." if leaning else ""),
        evidence=[_evidence(t) for t in top],
        confidence=0.2,
        alternatives=leaning,
        affected_resources=sorted({f"service:{own_name(s)}" for t in top for s in t.services}),
        next_steps=steps,
        notes=notes,
    )
