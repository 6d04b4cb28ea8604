"""Prefect flows, the `churn` CLI and the export sinks: wiring only, the work lives in features/ and models/."""
