# Cloud Doctor on Cloud Run. Multi-stage: the final image holds the venv with the runtime
# dependencies only (no dev extras, no build tools), the terraform binary (the fix pipeline
# runs `terraform fmt` on every proposal) and the terraform/ tree fixes are grounded in.
# checkov is not in the image (it pins old boto3 and is large): in the service its check is
# reported as skipped; CI runs it on every change to terraform/.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
# The locked runtime dependencies first (hashes checked; a layer that changes only with the lock; pip
# itself pinned before them, see lock/pip.txt), then the doctor itself without resolving anything again.
# tests/test_container.py runs these same commands in a fresh venv (this machine has no Docker engine).
COPY lock/pip.txt lock/doctor.txt ./lock/
RUN /opt/venv/bin/pip install --no-compile --require-hashes -r lock/pip.txt \
 && /opt/venv/bin/pip install --no-compile --require-hashes -r lock/doctor.txt
COPY pyproject.toml README.md ./
COPY doctor ./doctor
RUN /opt/venv/bin/pip install --no-compile --no-deps .

FROM ${PYTHON_IMAGE} AS terraform
ARG TERRAFORM_VERSION=1.11.4
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl unzip \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /tmp/terraform
RUN curl -fsSLO "https://releases.hashicorp.com/terraform/${TERRAFORM_VERSION}/terraform_${TERRAFORM_VERSION}_linux_amd64.zip" \
 && curl -fsSLO "https://releases.hashicorp.com/terraform/${TERRAFORM_VERSION}/terraform_${TERRAFORM_VERSION}_SHA256SUMS" \
 && grep "linux_amd64.zip" "terraform_${TERRAFORM_VERSION}_SHA256SUMS" | sha256sum -c - \
 && unzip -q "terraform_${TERRAFORM_VERSION}_linux_amd64.zip" -d /usr/local/bin

FROM ${PYTHON_IMAGE}
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin doctor
COPY --from=build /opt/venv /opt/venv
COPY --from=terraform /usr/local/bin/terraform /usr/local/bin/terraform
WORKDIR /app
COPY --chown=root:root terraform ./terraform
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PORT=8080 \
    DOCTOR_TERRAFORM_DIR=/app/terraform \
    DOCTOR_LOG_FORMAT=json \
    DOCTOR_DATABASE_URL=sqlite:////tmp/doctor.db \
    TF_IN_AUTOMATION=1
USER 10001
EXPOSE 8080
# DOCTOR_DATABASE_URL above only lets a bare container start; Cloud Run sets a shared
# PostgreSQL from Secret Manager (terraform/doctor/run.tf).
# No HEALTHCHECK: Cloud Run probes /healthz itself. `doctor serve` binds $PORT, trusts the
# front end's forwarded headers and keeps connections alive longer than Cloud Run's proxy.
CMD ["doctor", "serve", "--host", "0.0.0.0"]
