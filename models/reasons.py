"""Why a customer's risk is high, in the exit survey's own categories.

Exact TreeSHAP contributions from XGBoost (`pred_contribs`) are measured against a customer who
stays: each feature's contribution minus its mean over the training rows of customers who stayed
past the horizon (`reference_contributions`, kept with the model). TreeSHAP's own baseline is the
training rows' average (weighted by the trees' covers, with churners and their exit-survey weights),
so evidence that is merely ordinary for a staying customer counted as lowering the risk, and the
reasons that most set leavers apart from stayers were undercounted (docs/reason-accuracy.md, "What
measuring against the stayers changed"). The shifted contributions still add up to the margin, with the
stayers' mean margin as the base value. They are summed per survey reason, using the reason each
feature is declared to evidence in `configs/reasons.yaml`; purchase-activity features are summed
apart, as a symptom. The reasons are the survey categories with a positive contribution,
ranked; each gets its share of all positive contribution (activity's share included, so the shares
and `activity_share` add up to 1, less where a fourth or fifth reason pushes up too: only three
are exported) and a sentence from its strongest feature whose value, as shown,
lies beyond the stayers' median on its declared side. No reason is invented:
where no survey category pushes the risk above a staying customer's, the reason columns are empty.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xgboost as xgb

from features.config import ACTIVITY, load_feature_declarations, load_messages, load_reasons
from models.tree_shap import tree_shap_tables

if TYPE_CHECKING:  # models.training computes the reference with this module's functions
    from models.training import XGBoostChurnModel

TOP_REASONS = 3


# Customers per TreeSHAP call: progress can be shown between chunks, and the DMatrix copy stays small.
SHAP_CHUNK_ROWS = 50_000


def shap_contributions(
    model: XGBoostChurnModel,
    features: pd.DataFrame,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(per-feature contributions, base value) on the log-odds scale; they add up to the margin.

    Exact TreeSHAP: XGBoost's `pred_contribs`, looked up per way through each tree for shallow trees
    (`models.tree_shap`: the same numbers, a few seconds instead of minutes for a million customers),
    called for every customer otherwise. `progress(done, total)` is called after each chunk of customers.
    """
    columns = features[model.feature_names]
    total = len(columns)
    tables = tree_shap_tables(model.booster, model.feature_names)
    contributions = np.empty((total, len(model.feature_names)), dtype=np.float32)
    base_value = np.empty(total, dtype=np.float32)
    for start in range(0, total, SHAP_CHUNK_ROWS):
        chunk = columns.iloc[start : start + SHAP_CHUNK_ROWS]
        rows = slice(start, start + len(chunk))
        if tables is not None:
            contributions[rows] = tables.contributions(chunk.to_numpy(dtype=np.float32, na_value=np.nan))
            base_value[rows] = tables.base_value
        else:
            matrix = xgb.DMatrix(chunk, feature_names=model.feature_names)
            # float32, one column per feature + the bias
            both = model.booster.predict(matrix, pred_contribs=True)
            contributions[rows], base_value[rows] = both[:, :-1], both[:, -1]
        if progress is not None:
            progress(start + len(chunk), total)
    return contributions, base_value


def reference_contributions(model: XGBoostChurnModel, stayers: pd.DataFrame) -> np.ndarray:
    """Each feature's mean exact TreeSHAP contribution over `stayers` (rows of customers who stayed):
    what the reasons are measured against."""
    contributions, _ = shap_contributions(model, stayers)
    return contributions.mean(axis=0, dtype=np.float64)


def contributions_against_stayers(model: XGBoostChurnModel, contributions: np.ndarray) -> np.ndarray:
    """Contributions minus the model's stayer reference, in their own float32 (a million customers'
    copy in float64 would add 0.4 GB); unchanged for a model without one (registered before the
    reference was kept)."""
    if model.reference_contributions is None:
        return contributions
    return contributions - model.reference_contributions.astype(contributions.dtype)


def outdated_reasons(model: XGBoostChurnModel) -> str | None:
    """What a model registered before the stayers' reference or medians were kept still does the old
    way, and how to stop it (one sentence for the person running it); None for a current model."""
    if model.reference_contributions is None:
        return (
            "it was registered before the stayers' reference was kept, so its reasons are measured "
            "against TreeSHAP's own baseline and may quote a value on either side of the stayers; "
            "retrain (`churn train`) to measure them against the customers who stay"
        )
    if model.stayer_medians is None:
        return (
            "it was registered before the stayers' medians were kept, so a reason's sentence may quote "
            "a value on either side of the stayers; retrain (`churn train`) to quote only evidence"
        )
    return None


def explain_reasons(
    model: XGBoostChurnModel,
    features: pd.DataFrame,
    lang: str = "en",
    contributions: np.ndarray | None = None,
    min_share: float = 0.0,
) -> pd.DataFrame:
    """reason_1..3 (codes), their shares, labels and details, and activity_share, one row per customer.

    `contributions` may be passed when the caller already has them (from `shap_contributions`);
    they are measured against the model's stayer reference here. A reason is named when its sum
    pushes the risk up with at least `min_share` of the positive contribution (`scoring.min_reason_share`).
    """
    if contributions is None:
        contributions, _ = shap_contributions(model, features)
    contributions = contributions_against_stayers(model, contributions)
    declared = load_feature_declarations()
    reasons = load_reasons()
    survey_codes = np.array([reason.code for reason in reasons], dtype=object)
    category_of = np.array([declared[name].reason for name in model.feature_names])
    by_category = np.column_stack(
        [contributions[:, category_of == code].sum(axis=1) for code in (*survey_codes, ACTIVITY)]
    ).astype(float)
    positive = np.clip(by_category, 0, None)
    total = positive.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(total[:, None] > 0, positive / total[:, None], 0.0)
    survey = by_category[:, : len(survey_codes)]
    ranked = np.argsort(-survey, axis=1, kind="stable")[:, :TOP_REASONS]
    sentence_of = _strongest_sentences(
        model.feature_names, contributions, features, category_of, lang, model.stayer_medians
    )
    label_of = {reason.code: reason.label[lang] for reason in reasons}

    out: dict[str, object] = {}
    rows = np.arange(len(features))
    for rank in range(TOP_REASONS):
        category = ranked[:, rank]
        pushes_up = (survey[rows, category] > 0) & (shares[rows, category] >= min_share)
        codes = np.where(pushes_up, survey_codes[category], None)
        column = f"reason_{rank + 1}"
        out[column] = codes
        out[f"{column}_share"] = np.where(pushes_up, shares[rows, category], np.nan)
        out[f"{column}_label"] = np.array([label_of.get(code) for code in codes], dtype=object)
        detail = np.full(len(features), None, dtype=object)
        for index, code in enumerate(survey_codes):
            mine = pushes_up & (category == index)
            detail[mine] = sentence_of[code][mine]
        out[f"{column}_detail"] = detail
    out["activity_share"] = shares[:, -1]
    return pd.DataFrame(out, index=features.index)


# How each language writes 1,234.5 (CLDR): its grouping separator, then its decimal separator.
NUMBER_SEPARATORS = {
    "en": (",", "."),
    "uk": ("\u00a0", ","),
    "ru": ("\u00a0", ","),
    "ro": (".", ","),
    "hr": (".", ","),
}


def _formatted(value: float, spec: str) -> str:
    """format(), plus "pp": a change of a share in percentage points (0.68 → "68", where "+68%" would
    read as a relative rise)."""
    if spec.endswith("pp"):
        return format(value * 100, spec[:-2] + "f")
    return format(value, spec)


class _Number:
    """A value that formats as `lang` writes numbers: "-2.5" in English is "-2,5" in Croatian."""

    def __init__(self, value: float, lang: str) -> None:
        self.value, self.lang = value, lang

    def __format__(self, spec: str) -> str:
        group, decimal = NUMBER_SEPARATORS[self.lang]
        return _formatted(self.value, spec).translate(str.maketrans({",": group, ".": decimal}))


def number_in(value: float, spec: str, lang: str) -> str:
    """`value` formatted by `spec` as `lang` writes numbers (the reports' figures, the sentences')."""
    return format(_Number(value, lang), spec)


# Where a feature's words show its value: "{value:.0f}", "{value:+.1f}", "{value:.0%}", or "{size:.1f}",
# the value without its sign where the words say which way ("6.9 fewer contacts from us").
_PLACEHOLDER = re.compile(r"\{(value|size)(?::([^}]*))?\}")


def say(words: str, value: float, lang: str = "en") -> str:
    """A feature's words (in `lang`) with its value written as `lang` writes numbers; `{s}` is the
    English plural ending, empty where the number shown is exactly 1."""
    first = _PLACEHOLDER.search(words)
    number = "" if first is None else _formatted(abs(value), first.group(2) or "")
    return words.format(
        value=_Number(value, lang), size=_Number(abs(value), lang), s="" if number.lstrip("+") == "1" else "s"
    )


# The format the words show the value with, signed or not: the digits are the same.
_SHOWN_FORMAT = re.compile(r"\{(?:value|size):([+,]*\.(\d+)(f|%|pp))\}")


def shown(words: str, values: np.ndarray) -> np.ndarray:
    """The values as the words show them (rounded as the format prints them): a response time of 6.8
    hours reads "7 hours", the same as a median of 7.2, and a change of -0.04 reads "-0.0"."""
    found = _SHOWN_FORMAT.search(words)
    if found is None:
        return values
    spec, decimals, kind = found.group(1), int(found.group(2)), found.group(3)
    decimals += 2 if kind in ("%", "pp") else 0
    values = np.asarray(values, dtype=float)
    rounded = np.round(values, decimals) + 0.0  # -0.0 is 0
    # np.round scales, then rounds half to even; the format rounds the exact binary value. They
    # differ only near a half (-0.35 prints "-0.3", np.round gives -0.4): ask the format there.
    scaled = np.abs(values) * 10.0**decimals
    near_half = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    for index in np.flatnonzero(near_half):
        text = _formatted(values[index], spec).replace(",", "").rstrip("%")
        rounded[index] = float(text) / 100 if kind in ("%", "pp") else float(text)
    return rounded + 0.0


def _strongest_sentences(
    names, contributions, features, category_of, lang, stayer_medians=None
) -> dict[str, np.ndarray]:
    """Per survey code, each customer's sentence from the code's strongest feature that can be said.

    A feature can be said when it pushes the risk up and its value, as the words show it:
    - is not 0 ("0 complaints in the last year" or a flag's "no" is no evidence of a reason, whatever
      the trees make of it), except where the declaration says `zero_is_evidence` ("0 contacts from
      us in the last 90 days");
    - lies strictly beyond the stayers' median on the declared `evidence_side` ("their complaints
      took 4 days to resolve" is no quality evidence where a staying customer's also take 4). Not
      checked for a model registered before the medians were kept, nor where no stayer has a value.
    A customer with none gets the `no_figure` message instead.
    """
    declared = load_feature_declarations()
    no_figure = load_messages().no_figure[lang]
    values = features[names].to_numpy(dtype=float)
    medians = np.full(len(names), np.nan) if stayer_medians is None else stayer_medians
    sentences = {}
    for reason in load_reasons():
        mine = np.flatnonzero(category_of == reason.code)
        if len(mine) == 0:
            sentences[reason.code] = np.full(len(features), no_figure, dtype=object)
            continue
        sayable = (contributions[:, mine] > 0) & ~np.isnan(values[:, mine])
        for column, index in enumerate(mine):
            feature = declared[names[index]]
            value = shown(feature.words["en"], values[:, index])  # every language shows the same digits
            if not feature.zero_is_evidence:
                sayable[:, column] &= value != 0
            if feature.evidence_side is not None and not np.isnan(medians[index]):
                median = shown(feature.words["en"], np.array([medians[index]]))[0]
                sayable[:, column] &= value > median if feature.evidence_side == "higher" else value < median
            if "{size" in feature.words["en"]:  # "6.9 fewer contacts" is false of a rise, wherever the median
                sayable[:, column] &= value > 0 if feature.evidence_side == "higher" else value < 0
        strength = np.where(sayable, contributions[:, mine], -np.inf)
        strongest = mine[np.argmax(strength, axis=1)]
        found = sayable.any(axis=1)
        sentence = np.full(len(features), no_figure, dtype=object)
        for index in np.unique(strongest[found]):
            rows = np.flatnonzero(found & (strongest == index))
            words = declared[names[index]].words[lang]
            # Once per distinct value (counts and days repeat across customers), then spread.
            distinct, which = np.unique(values[rows, index] + 0.0, return_inverse=True)  # -0.0 says 0
            said = np.array([say(words, value, lang) for value in distinct], dtype=object)
            sentence[rows] = said[which]
        sentences[reason.code] = sentence
    return sentences
