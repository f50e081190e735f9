"""Cloud Doctor: reads an incident's logs, says what broke, and proposes the Terraform fix."""

__version__ = "0.1.0"
