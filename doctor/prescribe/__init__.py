"""Terraform fixes: locate the resource, propose a minimal edit, prove it, present a diff."""

from doctor.prescribe.base import FixGenerator, present
from doctor.prescribe.hcl import TerraformRepo
from doctor.prescribe.rules import NoFix, OfflineFixer

__all__ = ["FixGenerator", "NoFix", "OfflineFixer", "TerraformRepo", "present"]
