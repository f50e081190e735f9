"""Errors a user can act on; their message is shown as is, without a traceback."""


class InputError(ValueError):
    """The input cannot be read as logs: empty, binary, unreadable, unknown window."""


class ProviderError(Exception):
    """A cloud provider did not give a usable answer; the chain falls back to the next one.

    `reason` is one of: unconfigured, timeout, throttled, access_denied, invalid_request,
    invalid_answer, unavailable, budget.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
