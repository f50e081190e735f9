"""Errors a user can act on; their message is shown as is, without a traceback."""


class InputError(ValueError):
    """The input cannot be read as logs: empty, binary, unreadable, unknown window."""


class ProviderError(Exception):
    """A cloud provider did not give a usable answer; the chain falls back to the next one.

    `reason` is one of: unconfigured, timeout, throttled, access_denied, invalid_request,
    invalid_answer, model_unavailable (retired or not offered: change the model setting),
    truncated (the answer ran out of output tokens), unavailable, budget. `usage` holds the
    tokens the failed attempt still spent (they are billed, so they are charged).
    """

    def __init__(self, reason: str, message: str, *, usage: dict[str, int] | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.usage = dict(usage or {})
