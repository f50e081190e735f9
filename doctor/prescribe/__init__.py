"""Terraform fixes: locate the resource, propose a minimal edit, prove it, present a diff."""

from doctor.prescribe.base import CloudFixer, FixGenerator, NoFix, present
from doctor.prescribe.hcl import TerraformRepo
from doctor.prescribe.rules import OfflineFixer

__all__ = ["CloudFixer", "FixGenerator", "NoFix", "OfflineFixer", "TerraformRepo", "present"]
