"""The doctor's HTTP service: routes from each domain, health, readiness and metrics.

`create_app` wires the routers to one `Deps` (settings and lazily made store, runner,
redactor). Importing this module loads no cloud SDK and nothing heavy: Slack's 3 s
acknowledgement includes a cold start.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import secrets
import threading
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from doctor.config import Settings, get_settings
from doctor.deps import Deps
from doctor.observe import JOBS_BY_STATE, REGISTRY, request_id, scrub_access_log, stop_logging
from doctor.sources.collect import stop_fetch_processes
from doctor.web import alerts, reports, slack, tasks
from doctor.web.limits import BodyLimit


class RequestIds:
    """Every log line of a request carries its id: Cloud Run's trace id (which ties our lines to
    its request log), the caller's X-Request-Id, or a fresh one. Plain ASGI: Starlette's
    BaseHTTPMiddleware would add a task and a stream per request on the acknowledgement path."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or ())
            # Caller-chosen ids go into every log line of the request: cut to a sane length.
            trace = headers.get(b"x-cloud-trace-context", b"").split(b"/")[0][:64].decode("latin-1")
            request_id.set(trace or headers.get(b"x-request-id", b"")[:64].decode("latin-1") or secrets.token_hex(8))
        await self.app(scope, receive, send)


async def _shutdown(deps: Deps) -> None:
    """After uvicorn stopped taking connections (SIGTERM): refuse new jobs, give running in-process
    jobs the grace time, then interrupt the rest (recorded, users told), and stop the fetch processes.
    A /tasks/run job still running was cancelled with its request and is handed back to Cloud Tasks."""
    deps.closing = True
    runner = deps._runner
    if runner is not None and hasattr(runner, "shutdown"):
        interrupted = await runner.shutdown(deps.settings.shutdown_grace_seconds)
        if interrupted:
            logging.getLogger("doctor.web").warning("shutdown interrupted %d running job(s)", interrupted)

    await asyncio.to_thread(stop_fetch_processes)

    stop_logging()  # queued lines written; the last few (uvicorn's goodbye) are written directly


def create_app(settings: Settings | None = None, *, verify_task_token=None) -> FastAPI:
    """`verify_task_token` replaces the Google OIDC check of /tasks/run (tests)."""
    deps = Deps(settings or get_settings())

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        # What start-up built (modules, the app) lives as long as the process: out of the collector's
        # sight, a full collection scans only what requests and jobs made, and stalls the loop for
        # milliseconds instead of a tenth of a second.
        gc.freeze()
        deps.closing = False  # serving (again: an app's lifespan may run more than once, in tests)
        if deps.settings.job_backend == "cloudtasks":
            # The Cloud Tasks client (gRPC) takes a second to import: load it beside the first
            # requests (Cloud Run's startup CPU boost is on) rather than inside the first ack.
            threading.Thread(target=deps.warm, name="warm-cloudtasks", daemon=True).start()
        yield
        await _shutdown(deps)

    app = FastAPI(title="Cloud Doctor", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.deps = deps
    app.state.store = deps.store
    app.state.runner = deps.runner

    app.add_middleware(BodyLimit, max_bytes=deps.settings.max_body_bytes)
    app.add_middleware(RequestIds)

    scrub_access_log()

    @app.get("/healthz")
    async def healthz() -> dict:
        return {"ok": True}  # liveness: touches nothing

    @app.get("/readyz")
    async def readyz():
        try:
            await asyncio.to_thread(deps.store().ping)
        except Exception as exc:
            return JSONResponse({"ok": False, "store": f"{type(exc).__name__}: {exc}"[:300]}, status_code=503)
        return {"ok": True}

    @app.get("/metrics")
    async def metrics():

        try:
            for state, n in (await asyncio.to_thread(deps.store().job_counts)).items():
                JOBS_BY_STATE.labels(state=state).set(n)
        except Exception:  # metrics must answer even when the store does not
            pass
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    app.include_router(slack.router(deps))
    app.include_router(alerts.router(deps))
    app.include_router(tasks.router(deps, verify=verify_task_token))
    app.include_router(reports.router(deps))
    return app
