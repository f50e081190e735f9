"""What leaves the doctor for people: Slack replies and Block Kit, text/Markdown reports, report
pages and their signed links. Rendering and sending live here; jobs decide what to say."""
