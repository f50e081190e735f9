"""What the platform around the patient writes, in its own wording: PostgreSQL's server log
(RDS exports it) and ECS service events. The simulation has no RDS or ECS, so these lines are
written here, in the formats those systems use (`%m [%p]` for PostgreSQL, ECS's event text)."""

from __future__ import annotations

import random
from pathlib import Path

from patient_app.clock import Clock

ACCOUNT = "123456789012"


class Platform:
    def __init__(self, clock: Clock, out_dir: Path, *, seed: int) -> None:
        self.clock, self.rng = clock, random.Random(f"platform:{seed}")
        self.out_dir = out_dir
        out_dir.mkdir(parents=True, exist_ok=True)

    def _hex(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def postgres(self, severity: str, text: str) -> None:
        now = self.clock.now()
        line = (now.strftime("%Y-%m-%d %H:%M:%S.") + f"{now.microsecond // 1000:03d} UTC "
                f"[{self.rng.randint(1000, 9999)}] {severity}:  {text}")
        with (self.out_dir / "postgres.log").open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")

    def ecs(self, text: str) -> None:
        now = self.clock.now()
        with (self.out_dir / "ecs-events.log").open("a", encoding="utf-8") as fh:
            fh.write(f"{now.isoformat(timespec='milliseconds').replace('+00:00', 'Z')} {text}\n")

    # -- events ------------------------------------------------------------------------------------

    def checkpoint(self) -> None:
        self.postgres("LOG", f"checkpoint complete: wrote {self.rng.randint(10, 900)} buffers "
                             f"({self.rng.uniform(0.1, 4):.1f}%); 0 WAL file(s) added, 0 removed, 1 recycled")

    def oom(self, service: str) -> None:
        """ECS stops a container past its memory limit (exit 137) and starts a replacement."""
        self.ecs(f"(service {service}) (task {self._hex(32)}) stopped: OutOfMemoryError: Container killed due to "
                 "memory usage. Essential container in task exited (exitCode: 137)")
        self.ecs(f"(service {service}) has started 1 tasks: (task {self._hex(32)}).")

    def deployment_failed(self, service: str) -> None:
        self.ecs(f"(service {service}) (deployment ecs-svc/{self.rng.randint(10**12, 10**13)}) deployment failed: "
                 "tasks failed to start.")

    def task_started(self, service: str) -> None:
        self.ecs(f"(service {service}) has started 1 tasks: (task {self._hex(32)}).")
