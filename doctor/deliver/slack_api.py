"""The Slack Web API client the doctor uses: the bot token, `SLACK_API_BASE_URL`, the shared TLS context."""

from __future__ import annotations

from doctor.config import Settings
from doctor.net import tls_context


def web_client(settings: Settings, **kwargs):
    # lazy: slack_sdk's Web API and Socket Mode clients stay off the acknowledgement path
    from slack_sdk import WebClient

    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return WebClient(token=token, base_url=settings.slack_api_base_url,
                     ssl=tls_context(), **kwargs)
