"""The providers of root causes and fixes, chained: cloud first when configured, offline last.

One place builds them from settings (`make_analyzer`, `make_fixer`). A chain tries
each provider in order; a provider that is unconfigured, over the daily budget,
throttled past its retries, timed out, or answers nonsense is skipped, and the
answer that does come says which provider gave it, what it cost, and why the
ones before it did not answer. Cloud answers are cached in the store by
(model, prompt version, exact input), so an alert storm costs one call.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from doctor.config import Settings
from doctor.costs import DEFAULT_PRICES, cost_usd
from doctor.diagnose import AnalysisContext, CloudAnalyzer, OfflineAnalyzer, RootCauseAnalyzer
from doctor.diagnose.gemini import GeminiAnalyzer
from doctor.digest import Digest
from doctor.errors import ProviderError
from doctor.models import Diagnosis, Fix
from doctor.observe import PROVIDER_CALLS, PROVIDER_COST, PROVIDER_FALLBACKS, PROVIDER_TOKENS
from doctor.prescribe import CloudFixer, FixGenerator, NoFix, OfflineFixer, TerraformRepo
from doctor.prescribe.bedrock import BedrockFixer
from doctor.prescribe.prove import find_checkov
from doctor.store import open_store

if TYPE_CHECKING:
    from doctor.store import Store


class Ledger:
    """Budget and cache, over the store."""

    def __init__(self, store: Store, *, daily_budget_usd: float, prices: dict[str, tuple[float, float]]) -> None:
        self.store = store
        self.daily_budget_usd = daily_budget_usd
        self.prices = prices

    def over_budget(self) -> str | None:
        spent = self.store.spend_on(datetime.now(UTC).date())
        if spent >= self.daily_budget_usd:
            return f"the daily budget of ${self.daily_budget_usd:.2f} is spent (${spent:.2f} today, UTC)"
        return None

    def charge(self, provider: str, model: str, usage: dict[str, int]) -> float:
        usd = cost_usd(model, usage.get("input_tokens", 0), usage.get("output_tokens", 0), self.prices)
        self.store.record_spend(provider=provider, model=model, input_tokens=usage.get("input_tokens", 0),
                                output_tokens=usage.get("output_tokens", 0), usd=usd)
        return usd


def cache_key(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def _fallback_note(provider, exc: Exception, next_name: str) -> str:
    reason = getattr(exc, "reason", "error")
    return f"{provider.name} ({provider.model_id}) did not answer [{reason}]: {exc}; {next_name} was asked instead"


def _first_answer(providers: list, ledger: Ledger | None, *, kind: str, model_cls, cache_input, ask, on_offline):
    """Ask each provider in turn; return the first answer, with notes on the ones skipped.

    kind: "rca" or "fix" (part of the cache key); cache_input(provider) -> the text that
    determines its answer; ask(provider) -> the answer; on_offline(provider, notes) -> the
    offline provider's answer, which ends every chain.
    """
    notes: list[str] = []
    for i, p in enumerate(providers):
        if not isinstance(p, CloudAnalyzer | CloudFixer) or ledger is None:
            return on_offline(p, notes)
        next_name = providers[i + 1].name if i + 1 < len(providers) else "no provider"
        over = ledger.over_budget()
        if over:
            PROVIDER_FALLBACKS.labels(provider=p.name, reason="budget").inc()
            notes.append(f"{p.name} skipped: {over}; {next_name} was asked instead")
            continue

        try:
            key = cache_key(kind, p.model_id, p.prompt_version, *cache_input(p))
            hit = ledger.store.cache_get(key)
            if hit is not None:
                PROVIDER_CALLS.labels(provider=p.name, outcome="cached").inc()
                answer = model_cls.model_validate(hit)
                answer.cost_usd, answer.notes = 0.0, notes + ["served from the cache: same input, model and prompt"]
                return answer
            answer = ask(p)
        except ProviderError as exc:
            if any(exc.usage.values()):  # a failed call that still spent tokens is still billed
                PROVIDER_COST.labels(provider=p.name).inc(ledger.charge(p.name, p.model_id, exc.usage))
            PROVIDER_CALLS.labels(provider=p.name, outcome=exc.reason).inc()
            PROVIDER_FALLBACKS.labels(provider=p.name, reason=exc.reason).inc()
            notes.append(_fallback_note(p, exc, next_name))
            continue
        answer.cost_usd = ledger.charge(p.name, p.model_id, answer.usage)
        PROVIDER_CALLS.labels(provider=p.name, outcome="ok").inc()
        PROVIDER_COST.labels(provider=p.name).inc(answer.cost_usd)
        for direction in ("input", "output"):
            PROVIDER_TOKENS.labels(provider=p.name, direction=direction).inc(answer.usage.get(f"{direction}_tokens", 0))
        ledger.store.cache_put(key, p.name, answer.model_dump(mode="json", exclude={"notes", "cost_usd"}))
        answer.notes = notes + answer.notes
        return answer
    raise AssertionError("every chain ends with an offline provider")


class AnalyzerChain:
    """Cloud analyzers first, the offline engine last: the first usable answer wins."""

    name = "chain"

    def __init__(self, providers: list[RootCauseAnalyzer], ledger: Ledger | None) -> None:
        self.providers = providers
        self.ledger = ledger

    def analyze(self, digest: Digest, *, context: AnalysisContext | None = None) -> Diagnosis:
        context = context or AnalysisContext()

        def offline(p, notes):
            d = p.analyze(digest, context=context)
            d.notes = notes + d.notes
            return d

        return _first_answer(self.providers, self.ledger, kind="rca", model_cls=Diagnosis,
                             cache_input=lambda p: (p.prompt(digest, context),),
                             ask=lambda p: p.analyze(digest, context=context), on_offline=offline)


class FixerChain:
    """Cloud fixers first, the offline rules last: the first proven fix wins."""

    name = "chain"

    def __init__(self, providers: list[FixGenerator], ledger: Ledger | None) -> None:
        self.providers = providers
        self.ledger = ledger

    def propose(self, diagnosis: Diagnosis, *, repo: TerraformRepo) -> Fix:
        def cache_input(p):
            block, hint = p.target(diagnosis, repo)
            return p.prompt(diagnosis, block, repo, hint), repo.texts[block.file]

        def offline(p, notes):
            try:
                fix = p.propose(diagnosis, repo=repo)
            except NoFix as exc:
                raise NoFix("; ".join([*notes, str(exc)])) from None
            fix.notes = notes + fix.notes
            return fix

        return _first_answer(self.providers, self.ledger, kind="fix", model_cls=Fix, cache_input=cache_input,
                             ask=lambda p: p.propose(diagnosis, repo=repo), on_offline=offline)


def _order(setting: str, known: tuple[str, ...]) -> list[str]:
    names = [n.strip() for n in setting.split(",") if n.strip()]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"unknown provider(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return [n for n in names if n != "offline"] + ["offline"]


def make_ledger(settings: Settings, store: Store | None = None) -> Ledger:
    return Ledger(store or open_store(settings), daily_budget_usd=settings.daily_budget_usd,
                  prices=settings.prices or DEFAULT_PRICES)


def make_analyzer(settings: Settings, *, ledger: Ledger | None = None):
    offline = OfflineAnalyzer(extra_signatures=settings.signatures_file)
    chain: list[RootCauseAnalyzer] = []
    for name in _order(settings.rca_provider, ("gemini", "offline")):
        if name == "gemini":
            chain.append(GeminiAnalyzer(project=settings.google_cloud_project, location=settings.google_cloud_location,
                                        model=settings.gemini_model, timeout_s=settings.provider_timeout_seconds,
                                        base_url=settings.gemini_base_url, budget_tokens=settings.budget_tokens,
                                        offline=offline, thinking=settings.gemini_thinking,
                                        max_output_tokens=settings.gemini_max_output_tokens))
        else:
            chain.append(offline)
    if len(chain) == 1:
        return offline
    return AnalyzerChain(chain, ledger or make_ledger(settings))


def make_fixer(settings: Settings, *, ledger: Ledger | None = None):
    checkov = find_checkov(settings.checkov_bin)
    offline = OfflineFixer(terraform_bin=settings.terraform_bin, checkov_bin=checkov)
    chain: list[FixGenerator] = []
    for name in _order(settings.fix_provider, ("bedrock", "offline")):
        if name == "bedrock":
            chain.append(BedrockFixer(model_id=settings.bedrock_model_id,
                                      region=settings.bedrock_region or settings.aws_region,
                                      endpoint_url=settings.bedrock_endpoint_url,
                                      timeout_s=settings.provider_timeout_seconds, terraform_bin=settings.terraform_bin,
                                      checkov_bin=checkov))
        else:
            chain.append(offline)
    if len(chain) == 1:
        return offline
    return FixerChain(chain, ledger or make_ledger(settings))


def make_providers(settings: Settings):
    """The analyzer and fixer chains, sharing one ledger (and store) when either has a cloud provider."""
    cloud = any(n != "offline" for n in _order(settings.rca_provider, ("gemini", "offline"))
                + _order(settings.fix_provider, ("bedrock", "offline")))
    ledger = make_ledger(settings) if cloud else None
    return make_analyzer(settings, ledger=ledger), make_fixer(settings, ledger=ledger)
