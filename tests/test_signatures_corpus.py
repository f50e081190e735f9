"""Each signature family for other people's systems recognises real text from the corpus's readable half.

The cases are read by id from `tests/corpus/cases` (or the directories in CORPUS_CASES, separated
by the path separator, while the corpus is collected in other worktrees). Only readable cases are
used here: the held-out half is for measuring, never for writing signatures.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.corpus_data import CASES, case_by_id, diagnose

DIRS = [Path(p) for p in os.environ.get("CORPUS_CASES", str(CASES)).split(os.pathsep)]
if not any(d.is_dir() and any(d.glob("*.yaml")) for d in DIRS):
    pytest.skip(f"no corpus case files in {', '.join(map(str, DIRS))}", allow_module_level=True)

# system: (readable case id, the signature that must name its cause)
REAL = {
    "kubernetes evictions": ("kubernetes-dashboard-evicted-nodefs", "platform_disk_pressure"),
    "kubernetes rbac": ("kubernetes-kotary-clusterrole-missing-pods", "permission_denied_platforms"),
    "kubernetes image": ("kubernetes-moon-manifest-unknown", "image_pull_more"),
    "ecs": ("ecs-secret-kms-access-denied", "ecs_secrets_denied"),
    "fargate": ("fargate-copilot-oom-exit-137", "ecs_container_oom"),
    "cloud run": ("cloud-run-release-bot-memory-limit", "platform_memory_limit"),
    "lambda": ("lambda-ddns-default-timeout-too-low", "lambda_task_timeout"),
    "nginx timeout": ("nginx-fastcgi-update-timeout", "timeouts_platforms"),
    "nginx emerg": ("nginx-resolver-directive-misconfigured", "startup_misconfiguration"),
    "postgresql": ("postgresql-upgrade-script-skipped-migration", "schema_missing_column"),
    "mysql": ("mysql-mpos-connection-limit", "postgres_too_many_clients"),
    "redis": ("redis-misconf-because-disk-full", "disk_full_app"),
    "rabbitmq server": ("rabbitmq-node-shutdown-forces-client-closure", "rabbitmq_broker_side"),
    "rabbitmq tls": ("rabbitmq-federation-unknown-ca", "tls_handshake_more"),
    "rabbitmq login": ("rabbitmq-stale-credentials-in-wrapper-config", "database_credentials_rejected"),
    "kafka": ("kafka-akhq-topic-describe-acl-missing", "permission_denied_platforms"),
    "celery sigkill": ("celery-worker-sigkill-docker-memory", "worker_killed_sigkill"),
    "celery unregistered": ("celery-unregistered-task-wrong-working-dir", "startup_misconfiguration"),
    "uvicorn": ("uvicorn-no-websocket-library-installed", "startup_misconfiguration"),
    "kernel oom reaper": ("uvicorn-oom-killer-dmesg", "kernel_oom_reaper_and_memcg"),
    "kernel memcg": ("kernel-memcg-limit-reached-pod", "kernel_oom_reaper_and_memcg"),
    "node heap": ("nodejs-heap-oom-daily-crash-node-version", "platform_memory_limit"),
    "node socket": ("nodejs-keepalive-socket-timeout-race", "network_reset_more"),
    "spring": ("java-spring-datasource-url-missing-jpa-dependency", "startup_misconfiguration"),
    "flyway": ("java-spring-flyway-checksum-mismatch-master", "schema_migration_more"),
    "go": ("go-concurrent-map-writes", "code_crash"),
    "websocket": ("websocket-wss-certificate-chain-unverified", "tls_certificate_invalid"),
    "ccxt": ("ccxt-freqtrade-bittrex-429-candles", "http_429_upstream"),
    "aws sdk": ("aws-sdk-lambda-list-versions-throttled", "aws_throttling"),
    "systemd": ("systemd-oomd-killing-slices", "systemd_oom_kill"),
}


@pytest.mark.parametrize("system", sorted(REAL))
def test_signature_recognises_real_text(system):
    case_id, signature = REAL[system]
    case = case_by_id(case_id, DIRS)
    assert case.half == "readable"  # never write or test a signature on held-out text
    d = diagnose(case)
    assert (d.signature, d.category) == (signature, case.category), d.summary
