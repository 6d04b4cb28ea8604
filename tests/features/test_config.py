"""Settings: the churn and feature keys, their defaults, and one-line errors for wrong values."""

from __future__ import annotations

import pytest

from features.config import TopicKeywords, load_pipeline_config
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


def test_the_shipped_settings_repeat_the_default_words():
    """configs/pipeline.yaml shows every default word; a list left out of a user's file falls back to
    the same words."""
    assert load_pipeline_config().features.topic_keywords == TopicKeywords()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("churn: {definition: churned}", "churn.definition: Input should be 'inactivity' or 'cancellation'"),
        ("churn: {horizon_days: 0}", "churn.horizon_days: Input should be greater than or equal to 1"),
        ("churn: {horizon: 90}", "churn.horizon: unknown setting (did you mean horizon_days?)"),
        (
            "features: {topic_keywords: {competitor: []}}",
            "features.topic_keywords.competitor: give at least one keyword, none of them empty",
        ),
        (
            "features: {topic_keywords: {chasing: ['*waiting']}}",
            'features.topic_keywords.chasing: "*waiting": a keyword starts with a letter or '
            'digit ("інш* постачальн" finds "іншого постачальника", "nu ... raspunde" finds "nu mai raspunde", "(my|our) brother" finds "our brother")',
        ),
        (
            "features: {topic_keywords: {chasing: ['nu …']}}",  # an editor's one-character ellipsis too
            'features.topic_keywords.chasing: "nu …": "..." stands between two words '
            '("інш* постачальн" finds "іншого постачальника", "nu ... raspunde" finds "nu mai raspunde", "(my|our) brother" finds "our brother")',
        ),
        (
            "features: {topic_keywords: {chasing: ['nu ...raspunde', 'a *']}}",
            'features.topic_keywords.chasing: "nu ...raspunde": "..." stands alone between two '
            'words, and "*" continues a word ("інш* постачальн" finds "іншого постачальника", "nu ... '
            'raspunde" finds "nu mai raspunde", "(my|our) brother" finds "our brother")',
        ),
        (
            "features: {topic_keywords: {personal_ties: ['(brother|) works', '(my|our brother']}}",
            'features.topic_keywords.personal_ties: "(brother|) works": "(" and ")" enclose one '
            'word of choices: "(friend|friends)" ("інш* постачальн" finds "іншого постачальника", "nu ... '
            'raspunde" finds "nu mai raspunde", "(my|our) brother" finds "our brother")',
        ),
        (
            "features: {topic_keywords: {quality: ['´']}}",  # an accent alone folds to nothing
            'features.topic_keywords.quality: "´": a keyword starts with a letter or digit '
            '("інш* постачальн" finds "іншого постачальника", "nu ... raspunde" finds "nu mai raspunde", "(my|our) brother" finds "our brother")',
        ),
    ],
)
def test_wrong_settings_are_one_line_errors(tmp_path, text, message):
    path = tmp_path / "pipeline.yaml"
    path.write_text(text + "\n")
    with pytest.raises(ConfigError) as raised:
        load_pipeline_config(path)
    assert str(raised.value) == f"config {path}: {message}"


AVG_RESOLUTION = (
    "  avg_resolution_days_365d:\n    reason: product_quality\n    unit: days\n    evidence_side: higher\n"
)
REFERRER_GONE = "  referrer_inactive:\n    reason: personal_ties\n    unit: flag\n"


@pytest.mark.parametrize(
    ("declared", "edited", "rule"),
    [
        (
            AVG_RESOLUTION,
            AVG_RESOLUTION.removesuffix("    evidence_side: higher\n"),
            "features ['avg_resolution_days_365d']: a survey reason's feature needs `evidence_side: higher` "
            "or `evidence_side: lower` (the side of the stayers' median its quoted values lie on), or "
            "`unit: flag` for a yes/no feature",
        ),
        (
            REFERRER_GONE,
            REFERRER_GONE + "    evidence_side: higher\n",
            "features ['referrer_inactive']: `evidence_side` is for a survey reason's feature that is not a "
            "flag (its 1 is evidence)",
        ),
        (
            REFERRER_GONE,
            REFERRER_GONE + "    zero_is_evidence: true\n",
            "features ['referrer_inactive']: a flag's 0 is never its evidence: drop `zero_is_evidence`",
        ),
        (
            'uk: "скарг за останній рік: {value:.0f}"',
            'uk: "скарг за останній рік: {value:.1f}"',
            "features ['complaints_365d']: the words must show {value} with the same format in every language",
        ),
    ],
)
def test_which_values_a_reason_may_quote_is_declared(tmp_path, monkeypatch, declared, edited, rule):
    """A sentence quotes a feature's value only on its declared side of the stayers' median
    (`models.reasons`): a survey reason's feature without a side, or with a rule that cannot hold, is
    a one-line error naming it."""
    import features.config as config_module

    text = config_module.REASONS_CONFIG.read_text(encoding="utf-8")
    assert text.count(declared) == 1
    changed = tmp_path / "reasons.yaml"
    changed.write_text(text.replace(declared, edited, 1), encoding="utf-8")
    monkeypatch.setattr(config_module, "REASONS_CONFIG", changed)
    with pytest.raises(ConfigError) as raised:
        config_module.load_feature_declarations.__wrapped__()  # not the cached declarations
    assert str(raised.value) == f"config {changed}: {rule}"
