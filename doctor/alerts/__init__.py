"""Alert intake: Alertmanager, Grafana and CloudWatch-via-SNS webhooks, normalized and deduplicated."""

from doctor.alerts.adapters import ADAPTERS, AlertAdapter, Inbound
from doctor.alerts.models import Alert, Rejected
from doctor.alerts.service import Outcome, channel_for, receive

__all__ = ["ADAPTERS", "Alert", "AlertAdapter", "Inbound", "Outcome", "Rejected", "channel_for", "receive"]
