"""The on-call's verdict on each diagnosis: how often the first answer was right, and the misses as test cases.

Verdicts are given with the Slack buttons under every diagnosis (doctor/slack/verdict.py) and kept in the
store (one per person and incident, changeable). `stats` sums them up per category and provider over the
last 7, 30 and 90 days (`doctor stats`, `/incidents/stats`); `export` writes the incidents judged wrong
as cases of the incident corpus (`doctor export-cases --wrong`), so a miss in production becomes a test.
"""
