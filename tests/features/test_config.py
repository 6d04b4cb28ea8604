"""Settings: the churn and feature keys, their defaults, and one-line errors for wrong values."""

from __future__ import annotations

import pytest

from features.config import load_pipeline_config
from features.errors import ConfigError


def test_defaults_and_overrides(tmp_path):
    defaults = load_pipeline_config()
    assert (defaults.churn.definition, defaults.churn.horizon_days, defaults.churn.lookback_days) == (
        "inactivity",
        90,
        365,
    )
    assert "competitor" in defaults.features.topic_keywords.competitor
    path = tmp_path / "pipeline.yaml"
    path.write_text(
        "churn: {definition: cancellation, horizon_days: 30}\n"
        "features: {topic_keywords: {relocation: ['  Переїзд ']}}\n"
    )
    config = load_pipeline_config(path)
    assert (config.churn.definition, config.churn.horizon_days, config.churn.lookback_days) == (
        "cancellation",
        30,
        365,
    )
    assert config.features.topic_keywords.relocation == ("переїзд",)  # trimmed, lower case
    assert config.features.topic_keywords.competitor == defaults.features.topic_keywords.competitor


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("churn: {definition: churned}", "churn.definition: Input should be 'inactivity' or 'cancellation'"),
        ("churn: {horizon_days: 0}", "churn.horizon_days: Input should be greater than or equal to 1"),
        ("churn: {horizon: 90}", "churn.horizon: Extra inputs are not permitted"),
        (
            "features: {topic_keywords: {competitor: []}}",
            "features.topic_keywords.competitor: Value error, give at least one keyword, none of them empty",
        ),
    ],
)
def test_wrong_settings_are_one_line_errors(tmp_path, text, message):
    path = tmp_path / "pipeline.yaml"
    path.write_text(text + "\n")
    with pytest.raises(ConfigError) as raised:
        load_pipeline_config(path)
    assert str(raised.value) == f"config {path}: {message}"
