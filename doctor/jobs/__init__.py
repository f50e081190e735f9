from doctor.jobs.runner import CloudTasksRunner, InProcessRunner, JobRunner, make_runner
from doctor.jobs.spec import JobSpec, execute

__all__ = ["CloudTasksRunner", "InProcessRunner", "JobRunner", "JobSpec", "execute", "make_runner"]
