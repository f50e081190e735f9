"""What a model call cost: token usage read from the response, priced from a table in settings."""

from __future__ import annotations

# USD per million tokens (input, output), matched by substring of the model id. Override
# with DOCTOR_PRICES; list prices change, so treat these as estimates. Thinking tokens are
# billed as output, and the providers count them in `output_tokens`. Gemini 3.x: list prices
# read 2026-12-01 (Vertex/Gemini API pricing as quoted by provider catalogs).
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gemini-3.5-flash-lite": (0.30, 2.50),
    "gemini-3.5-flash": (1.50, 9.00),
    "gemini-3.1-flash-lite": (0.25, 1.50),
    "gemini-2.5-flash-lite": (0.10, 0.40),
    "gemini-2.5-flash": (0.30, 2.50),
    "gemini-2.5-pro": (1.25, 10.00),
    "gemini-2.0-flash": (0.15, 0.60),
    "claude-sonnet-4": (3.00, 15.00),
    "claude-haiku-4": (1.00, 5.00),
    "claude-opus-4": (15.00, 75.00),
}


def cost_usd(model: str, input_tokens: int, output_tokens: int, prices: dict[str, tuple[float, float]]) -> float:
    """Estimated cost; the longest matching key wins (`gemini-2.5-flash-lite` before `gemini-2.5-flash`)."""
    matches = [k for k in prices if k in model]
    if not matches:
        return 0.0
    per_in, per_out = prices[max(matches, key=len)]
    return (input_tokens * per_in + output_tokens * per_out) / 1_000_000
