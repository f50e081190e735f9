"""Background jobs: the work that follows an acknowledgement."""

from doctor.jobs.runner import InProcessRunner

__all__ = ["InProcessRunner"]
