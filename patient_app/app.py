"""The patient's HTTP service: the dashboard API, the paper exchange, metrics, and chaos.

`patient serve` runs everything in one process: this app (dashboard at `/`, exchange at
`/exchange`) and a thread that steps the components every PATIENT_TICK_SECONDS. With
`--component` only that component's loop runs (the exchange and dashboard are always served).
"""

from __future__ import annotations

import hmac
import logging
import threading
import time

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from patient_app.config import COMPONENTS, PatientSettings

access = logging.getLogger("patient.dashboard.access")


def create_app(settings: PatientSettings | None = None, *, stack=None, exchange=None, env=None) -> FastAPI:
    settings = settings or PatientSettings()
    app = FastAPI(title="patient", docs_url=None, redoc_url=None, openapi_url=None)
    state = {"stack": stack, "exchange": exchange, "env": env, "active": None}
    app.state.patient = state
    if exchange is not None:
        app.mount("/exchange", exchange.app())

    @app.middleware("http")
    async def access_log(request: Request, call_next):
        # uvicorn's access-log wording, from the app, so it is the dashboard's own line.
        try:
            response = await call_next(request)
            status = response.status_code
        except Exception:
            logging.getLogger("patient.dashboard").exception("%s %s failed", request.method, request.url.path)
            status, response = 500, JSONResponse({"error": "internal error"}, status_code=500)
        if not request.url.path.startswith("/exchange"):
            from http import HTTPStatus

            client = request.client.host if request.client else "-"
            port = request.client.port if request.client else 0
            phrase = HTTPStatus(status).phrase
            log = access.error if status >= 500 else access.info
            log('%s:%s - "%s %s HTTP/1.1" %d %s', client, port, request.method, request.url.path, status, phrase)
        return response

    def store():
        return state["stack"].store

    @app.get("/healthz")
    def healthz():
        return {"ok": True, "version": settings.version}

    @app.get("/positions")
    def positions():
        prices = store().last_prices()
        out = []
        for symbol, p in sorted(store().positions().items()):
            mark = prices.get(symbol)
            unrealized = (mark * p["quantity"] - p["cost"]) if mark is not None else None
            out.append({"symbol": symbol, "quantity": round(p["quantity"], 8), "realized": round(p["realized"], 2),
                        "unrealized": None if unrealized is None else round(unrealized, 2)})
        return out

    @app.get("/orders")
    def orders(limit: int = 50):
        return [{**o, "at": o["at"].isoformat()} for o in store().recent_orders(limit=min(limit, 500))]

    @app.get("/pnl")
    def pnl():
        prices = store().last_prices()
        positions = store().positions()
        realized = sum(p["realized"] for p in positions.values())
        unrealized = sum(prices.get(s, 0) * p["quantity"] - p["cost"] for s, p in positions.items())
        return {"realized": round(realized, 2), "unrealized": round(unrealized, 2),
                "today": round(store().realized_today(state["stack"].clock.now()), 2)}

    @app.get("/metrics")
    def metrics():
        from patient_app.logs import DROPPED, SHIPPED

        lines = ["# HELP patient_log_lines_dropped_total Log lines a sink could not take (buffer full or refused).",
                 "# TYPE patient_log_lines_dropped_total counter"]
        lines += [f'patient_log_lines_dropped_total{{sink="{k}"}} {v}' for k, v in sorted(DROPPED.items())]
        lines += ["# HELP patient_log_lines_shipped_total Log lines delivered to a sink.",
                  "# TYPE patient_log_lines_shipped_total counter"]
        lines += [f'patient_log_lines_shipped_total{{sink="{k}"}} {v}' for k, v in sorted(SHIPPED.items())]
        stack = state["stack"]
        if stack is not None:
            lines += ["# HELP patient_steps_total Component cycles run.", "# TYPE patient_steps_total counter",
                      f"patient_steps_total {stack.step_no}",
                      "# HELP patient_position Net position per symbol.", "# TYPE patient_position gauge"]
            try:
                lines += [f'patient_position{{symbol="{s}"}} {p["quantity"]}' for s, p in stack.store.positions().items()]
            except Exception:
                pass
        lines += ["# HELP patient_chaos_active The chaos scenario in effect (1), if any.",
                  "# TYPE patient_chaos_active gauge"]
        if state["active"]:
            lines.append(f'patient_chaos_active{{scenario="{state["active"]}"}} 1')
        return Response("\n".join(lines) + "\n", media_type="text/plain; version=0.0.4")

    @app.post("/chaos/{scenario}")
    def chaos(scenario: str, request: Request, heal: bool = False):
        from patient_app import chaos as chaos_mod

        token = settings.chaos_token.get_secret_value() if settings.chaos_token else ""
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not token or not hmac.compare_digest(given.encode(), token.encode()):
            return JSONResponse({"error": "chaos needs PATIENT_CHAOS_TOKEN as a bearer token"}, status_code=401)
        if heal:
            chaos_mod.heal(state["env"])
            state["active"] = None
            return {"healed": True}
        if scenario not in chaos_mod.SCENARIOS:
            return JSONResponse({"error": f"unknown scenario; known: {', '.join(chaos_mod.SCENARIOS)}"},
                                status_code=404)
        chaos_mod.heal(state["env"])
        s = chaos_mod.inject(scenario, state["stack"], state["env"])
        state["active"] = scenario
        logging.getLogger("patient.chaos").warning("chaos scenario %s injected: %s", scenario, s.title)
        return {"scenario": scenario, "title": s.title, "root_cause": s.root_cause, "category": s.category,
                "fix_target": s.fix_target}

    return app


def run_loop(stack, *, components: tuple[str, ...] = COMPONENTS, stop: threading.Event) -> None:
    """Step the components every tick until `stop` is set; a failing step never ends the loop."""
    for c in stack.running:
        stack.running[c] = c in components
    while not stop.is_set():
        started = time.monotonic()
        try:
            stack.step()
        except Exception:
            logging.getLogger("patient.main").exception("component step failed")
        stop.wait(max(0.0, stack.settings.tick_seconds - (time.monotonic() - started)))
