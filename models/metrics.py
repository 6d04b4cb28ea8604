"""How good a churn model is on a test cutoff: ranking, probabilities, and the money it finds."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score

TOP_SHARE = 0.10
CALIBRATION_BINS = 10


def evaluate(churned: np.ndarray, probability: np.ndarray, annual_value: np.ndarray) -> dict[str, float]:
    """Test-set metrics.

    Args:
        churned: the labels (0/1).
        probability: the predicted probability of churn.
        annual_value: each customer's expected annual value (average order value × orders in the
            last year): what leaving would cost.
    """
    churned = np.asarray(churned, dtype=float)
    probability = np.clip(np.asarray(probability, dtype=float), 1e-6, 1 - 1e-6)
    annual_value = np.nan_to_num(np.asarray(annual_value, dtype=float))
    top = _top_share(probability, TOP_SHARE)
    churn_rate = churned.mean()
    top_by_value_at_risk = _top_share(probability * annual_value, TOP_SHARE)
    lost_value = churned * annual_value
    return {
        "roc_auc": float(roc_auc_score(churned, probability)),
        "pr_auc": float(average_precision_score(churned, probability)),
        "brier": float(brier_score_loss(churned, probability)),
        "log_loss": float(log_loss(churned, probability, labels=[0, 1])),
        "lift_top10": float(churned[top].mean() / churn_rate) if churn_rate else float("nan"),
        "recall_top10": float(churned[top].sum() / churned.sum()) if churned.sum() else float("nan"),
        "ece": expected_calibration_error(churned, probability),
        # Of the value the churners took with them, the share held by the 10% ranked highest by
        # value at risk (probability × annual value): what a retention team working the top of
        # the list could have saved.
        "value_at_risk_top10_share": float(lost_value[top_by_value_at_risk].sum() / lost_value.sum())
        if lost_value.sum()
        else float("nan"),
        "churn_rate": float(churn_rate),
        "rows": float(len(churned)),
    }


def expected_calibration_error(churned: np.ndarray, probability: np.ndarray) -> float:
    """Row-weighted mean |observed churn rate − mean predicted probability| over ten equal-width bins."""
    table = calibration_table(churned, probability)
    return float(
        sum(abs(observed - predicted) * rows for predicted, observed, rows in table) / len(probability)
    )


def calibration_table(churned: np.ndarray, probability: np.ndarray) -> list[tuple[float, float, int]]:
    """(mean predicted, observed rate, rows) per non-empty equal-width bin: the calibration chart's
    points, and what the expected calibration error averages."""
    churned, probability = np.asarray(churned, dtype=float), np.asarray(probability, dtype=float)
    bins = np.minimum((probability * CALIBRATION_BINS).astype(int), CALIBRATION_BINS - 1)
    rows = np.bincount(bins, minlength=CALIBRATION_BINS)
    observed = np.bincount(bins, weights=churned, minlength=CALIBRATION_BINS)
    predicted = np.bincount(bins, weights=probability, minlength=CALIBRATION_BINS)
    return [
        (float(predicted[b] / rows[b]), float(observed[b] / rows[b]), int(rows[b]))
        for b in range(CALIBRATION_BINS)
        if rows[b]
    ]


def _top_share(score: np.ndarray, share: float) -> np.ndarray:
    """Indices of the highest `share` of scores; ties broken by position so the cut is exact."""
    count = max(1, int(round(share * len(score))))
    return np.argsort(-score, kind="stable")[:count]
