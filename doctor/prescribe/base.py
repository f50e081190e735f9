"""The one interface every fix provider implements (offline rules, Claude on Bedrock),
and the proving step every proposal goes through, whoever wrote it."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from doctor.models import Diagnosis, Fix, FixTarget
from doctor.prescribe.hcl import Block, TerraformRepo
from doctor.prescribe.prove import Proposal, check_proposal, unified_diff


class NoFix(Exception):
    """No safe fix; the message says why, for the user. Every FixGenerator raises it (never a bare
    error) when it has nothing to propose."""


class FixGenerator(Protocol):
    name: str

    def propose(self, diagnosis: Diagnosis, *, repo: TerraformRepo) -> Fix:
        """A proven fix; raises `NoFix` with a reason the user is shown when there is none."""


@runtime_checkable
class CloudFixer(FixGenerator, Protocol):
    """A FixGenerator that asks a model: cached under (model, prompt version, prompt and the target
    file), charged to the daily budget. `target` finds the block to change before anything is asked."""

    @property
    def model_id(self) -> str: ...

    @property
    def prompt_version(self) -> str: ...

    def target(self, diagnosis: Diagnosis, repo: TerraformRepo) -> tuple[Block, dict[str, str]]: ...

    def prompt(self, diagnosis: Diagnosis, block: Block, repo: TerraformRepo, hint: dict[str, str]) -> str: ...


def present(
    proposal: Proposal,
    *,
    repo: TerraformRepo,
    target: FixTarget,
    rationale: str,
    provider: str,
    terraform_bin: str = "terraform",
    checkov_bin: str | None = None,
) -> Fix:
    """Prove a proposal and turn it into a `Fix`: a diff against the repository, with its checks."""
    final, checks = check_proposal(proposal, tf_dir=repo.tf_dir, terraform_bin=terraform_bin, checkov_bin=checkov_bin)
    try:
        rel = repo.rel(proposal.path)
    except ValueError:
        rel = str(proposal.path)
    return Fix(
        target=target,
        diff=unified_diff(rel, proposal.before, final),
        rationale=rationale,
        checks=checks,
        provider=provider,
    )
