"""Errors a user can act on; their message is shown as is, without a traceback."""


class InputError(ValueError):
    """The input cannot be read as logs: empty, binary, unreadable, unknown window."""
