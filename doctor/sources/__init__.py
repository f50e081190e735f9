"""Where log records come from: files (embedded default), CloudWatch Logs, Loki."""
