"""Slack: slash-command parsing and Block Kit rendering. The HTTP edge is doctor/web/app.py."""
