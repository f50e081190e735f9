"""A throwaway PostgreSQL cluster in a temp dir, from the machine's own binaries."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path


def _as_user(cmd: list[str], user: str | None) -> list[str]:
    return ["runuser", "-u", user, "--", *cmd] if user else cmd


@contextmanager
def throwaway_postgres():
    initdb = shutil.which("initdb") or "/usr/lib/postgresql/15/bin/initdb"
    pg_ctl = shutil.which("pg_ctl") or "/usr/lib/postgresql/15/bin/pg_ctl"
    # initdb refuses to run as root: run the cluster as the postgres user (or nobody).
    user = None
    if os.geteuid() == 0:
        user = "postgres" if subprocess.run(["id", "postgres"], capture_output=True).returncode == 0 else "nobody"
    root = Path(tempfile.mkdtemp(prefix="doctor-pg-"))
    data = root / "data"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    if user:
        shutil.chown(root, user)
    try:
        subprocess.run(_as_user([initdb, "-D", str(data), "-A", "trust", "-U", "doctor", "--no-sync"], user),
                       check=True, capture_output=True)
        subprocess.run(_as_user([pg_ctl, "-D", str(data), "-l", str(root / "log"), "-w", "-o",
                                 f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start"], user),
                       check=True, capture_output=True)
        yield f"postgresql://doctor@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"], user), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
