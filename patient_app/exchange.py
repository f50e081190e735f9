"""The paper exchange: an in-app exchange API with a request-weight limit and error codes like a
real one (Binance's shapes), and the executor's client for it. Nothing here touches real money."""

from __future__ import annotations

import threading
import time

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

WEIGHTS = {"order": 1, "account": 20, "ticker": 2}


class PaperExchange:
    """State and rules of the exchange; `app()` serves them over HTTP."""

    def __init__(self, *, clock, api_keys: set[str], weight_per_minute: int = 1200,
                 balance_usdt: float = 100_000.0) -> None:
        self.clock = clock
        self.api_keys = api_keys
        self.weight_per_minute = weight_per_minute
        self.balance = {"USDT": balance_usdt}
        self.delay_seconds = 0.0  # chaos: a slow upstream
        self.order_seq = 0
        self._used: dict[str, int] = {}  # minute -> request weight used
        self._lock = threading.Lock()

    def _spend(self, weight: int) -> int | None:
        """Spend request weight in the current minute; the seconds to wait when over the limit."""
        now = self.clock.now()
        minute = now.strftime("%Y%m%d%H%M")
        with self._lock:
            used = self._used.get(minute, 0) + weight
            if used > self.weight_per_minute:
                return 60 - now.second
            self._used = {minute: used}
        return None

    def app(self) -> FastAPI:
        api = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

        def guard(request: Request, weight: int) -> JSONResponse | None:
            if self.delay_seconds:
                time.sleep(self.delay_seconds)  # a slow matching engine: the sync route runs in a thread
            wait = self._spend(weight)
            if wait is not None:
                return JSONResponse({"code": -1003, "msg": f"Too much request weight used; current limit is "
                                     f"{self.weight_per_minute} request weight per 1 MINUTE. Please use WebSocket "
                                     "Streams for live updates to avoid polling the API."},
                                    status_code=429, headers={"Retry-After": str(wait)})
            if request.headers.get("X-MBX-APIKEY") not in self.api_keys:
                return JSONResponse({"code": -2015, "msg": "Invalid API-key, IP, or permissions for action."},
                                    status_code=401)
            return None

        @api.get("/api/v3/account")
        def account(request: Request):
            return guard(request, WEIGHTS["account"]) or {"balances": [{"asset": k, "free": f"{v:.8f}"}
                                                                       for k, v in self.balance.items()]}

        @api.post("/api/v3/order")
        def order(request: Request, symbol: str, side: str, quantity: float, price: float,
                  newClientOrderId: str | None = None):
            refused = guard(request, WEIGHTS["order"])
            if refused:
                return refused
            base, _, quote = symbol.partition("-")
            if not base or quote != "USDT" or side.upper() not in ("BUY", "SELL") or quantity <= 0:
                return JSONResponse({"code": -1121, "msg": "Invalid symbol."}, status_code=400)
            notional = quantity * price
            with self._lock:
                if side.upper() == "BUY" and self.balance["USDT"] < notional:
                    return JSONResponse({"code": -2010, "msg": "Account has insufficient balance for requested "
                                         "action."}, status_code=400)
                sign = 1 if side.upper() == "BUY" else -1
                self.balance["USDT"] -= sign * notional
                self.balance[base] = self.balance.get(base, 0.0) + sign * quantity
            self.order_seq += 1
            return {"symbol": symbol, "orderId": self.order_seq, "clientOrderId": newClientOrderId,
                    "status": "FILLED", "executedQty": f"{quantity:.8f}", "fills": [{"price": f"{price:.8f}",
                                                                                      "qty": f"{quantity:.8f}"}]}

        return api


class ExchangeClient:
    """requests, like most trading bots; its errors are requests' own (the wording the doctor reads).

    `routes` maps (host, port) to the address to connect to instead: the simulation names its
    loopback exchange `paper-exchange.internal`, as a deployment would, so that every window
    reads the same whatever port the exchange got."""

    def __init__(self, base_url: str, *, api_key: str, timeout: float, verify=True,
                 routes: dict[tuple[str, int], tuple[str, int]] | None = None) -> None:
        import requests

        self.base_url, self.api_key, self.timeout, self.verify = base_url.rstrip("/"), api_key, timeout, verify
        self.session = requests.Session()
        self.routes = routes if routes is not None else {}
        if routes is not None:
            adapter = _routed_adapter(self.routes)
            self.session.mount("http://", adapter)
            self.session.mount("https://", adapter)

    def _call(self, method: str, path: str, **params) -> dict:
        import requests

        resp = self.session.request(method, self.base_url + path, params=params, timeout=self.timeout,
                                    verify=self.verify, headers={"X-MBX-APIKEY": self.api_key})
        try:
            resp.raise_for_status()
        except requests.HTTPError as exc:  # keep the exchange's own code and message with requests' line
            raise requests.HTTPError(f"{exc} | {resp.text}", response=resp) from None
        return resp.json()

    def account(self) -> dict:
        return self._call("GET", "/api/v3/account")

    def order(self, *, symbol: str, side: str, quantity: float, price: float, client_order_id: str) -> dict:
        return self._call("POST", "/api/v3/order", symbol=symbol, side=side.upper(), quantity=quantity, price=price,
                          newClientOrderId=client_order_id)


def _routed_adapter(routes: dict):
    """A requests adapter whose connections go to `routes[(host, port)]` but keep the host's name
    (TLS verification and every message still say `paper-exchange.internal`)."""
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    def routed(base):
        class Routed(base):
            def _new_conn(self):
                host, port = self._dns_host, self.port
                self._dns_host, self.port = routes.get((self.host, port), (host, port))
                try:
                    return super()._new_conn()
                finally:
                    self._dns_host, self.port = host, port
        return Routed

    # Same class names as urllib3's: they appear in its messages ("HTTPSConnectionPool(host=...").
    pools = {"http": type("HTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": routed(HTTPConnection)}),
             "https": type("HTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": routed(HTTPSConnection)})}

    class Adapter(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = pools

    return Adapter()
