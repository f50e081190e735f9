"""Outgoing HTTP (Slack, Loki, SNS certificates) with one TLS context per process.

Building a TLS context loads the CA bundle: about 25 ms of CPU. A job that made a client per
Slack message would spend that on the event loop that acknowledges Slack, twice per job, so the
context is built once and shared (an `SSLContext` is safe to share between threads and loops),
and the jobs' messages to Slack share one client per event loop, keeping its connections.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
import weakref
from typing import Any

import httpx


@functools.cache
def tls_context() -> ssl.SSLContext:
    # httpx's own construction: certifi's bundle, or SSL_CERT_FILE / SSL_CERT_DIR when set.
    return httpx.create_ssl_context()


def async_client(**kwargs: Any) -> httpx.AsyncClient:
    kwargs.setdefault("verify", tls_context())
    return httpx.AsyncClient(**kwargs)


_per_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient] = weakref.WeakKeyDictionary()


def shared_client() -> httpx.AsyncClient:
    """This event loop's client for short calls (Slack messages): a job's progress update and its
    answer, and the next job's, reuse a connection and its TLS session instead of opening their own.
    An httpx client belongs to the loop it is used on, hence one per loop."""
    loop = asyncio.get_running_loop()
    client = _per_loop.get(loop)
    if client is None or client.is_closed:
        client = _per_loop[loop] = async_client(timeout=10)
    return client
