"""Prefect flows, the `churn` CLI and the export sinks: wiring; the work is in features/ and models/."""
