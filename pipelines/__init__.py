"""Prefect flows, the `churn` CLI and the export sinks: wiring; the work is in features/ and models/."""

import os

# Prefect settings this pipeline needs, as defaults (an environment variable the user set wins). They
# must be in place before Prefect is first imported, which happens below this package.
PREFECT_DEFAULTS = {
    # The temporary server's telemetry heartbeat writes to its fresh SQLite database while migrations
    # and the first run do ("database is locked" tracebacks), then calls home, which a nightly job on
    # a closed network cannot ("Failed to send telemetry"). A pipeline has no use for it.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # The temporary server starts in 10 s on an idle 2-core machine and in over 20 s (Prefect's
    # limit) while another job keeps both cores busy.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
}
for _name, _value in PREFECT_DEFAULTS.items():
    os.environ.setdefault(_name, _value)
