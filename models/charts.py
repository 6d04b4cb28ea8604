"""The charts a reviewer looks at for a training run: ROC, precision-recall, calibration, lift, and
importance by feature and by survey reason. PNG files, drawn without a display."""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no window, no display needed on a server

import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import precision_recall_curve, roc_curve  # noqa: E402

from features.config import load_report_labels  # noqa: E402
from models.metrics import calibration_table  # noqa: E402


def draw_evaluation_charts(
    churned: np.ndarray, probabilities: dict[str, np.ndarray], folder: Path, lang: str = "en"
) -> dict[Path, str]:
    """ROC, precision-recall, calibration and lift of every model on the test cutoff, titled and
    labelled in `lang`: {file: its title}."""
    words = load_report_labels(lang)
    charts = {}
    for name, draw, title in (
        ("roc.png", _roc, "roc_title"),
        ("precision_recall.png", _precision_recall, "pr_title"),
        ("calibration.png", _calibration, "calibration_title"),
        ("lift.png", _lift, "lift_title"),
    ):
        figure, axes = plt.subplots(figsize=(6, 5))
        draw(axes, churned, probabilities, words)
        axes.legend(loc="best")
        axes.grid(alpha=0.3)
        charts[_save(figure, folder / name)] = words[title]
    return charts


def _save(figure, path: Path) -> Path:
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


def draw_bars(values: pd.Series, title: str, path: Path, top: int = 25, sort: bool = True) -> Path:
    """A horizontal bar chart of the largest values (feature importance, SHAP by reason, counts)."""
    shown = values.sort_values(ascending=True).tail(top) if sort else values.iloc[::-1]
    figure, axes = plt.subplots(figsize=(7, max(3, 0.35 * len(shown) + 1)))
    axes.barh(shown.index.astype(str), shown.to_numpy())
    axes.set_title(textwrap.fill(title, 48))
    return _save(figure, path)


def draw_share_comparison(shares: pd.DataFrame, title: str, path: Path) -> Path:
    """Grouped horizontal bars: one group per row (e.g. a reason), one bar per column (tonight,
    the exit survey), as percentages."""
    figure, axes = plt.subplots(figsize=(7, max(3, 0.55 * len(shares) + 1)))
    positions = np.arange(len(shares))[::-1]
    height = 0.8 / max(1, shares.shape[1])
    for offset, column in enumerate(shares.columns):
        axes.barh(
            positions + (offset - (shares.shape[1] - 1) / 2) * height,
            100 * shares[column],
            height,
            label=column,
        )
    axes.set_yticks(positions, shares.index.astype(str))
    axes.set_xlabel("%")
    axes.set_title(textwrap.fill(title, 48))
    axes.legend(loc="best")
    axes.grid(alpha=0.3, axis="x")
    return _save(figure, path)


def _roc(axes, churned, probabilities, words):
    for name, probability in probabilities.items():
        false_positive, true_positive, _ = roc_curve(churned, probability)
        axes.plot(false_positive, true_positive, label=name)
    axes.plot([0, 1], [0, 1], linestyle=":", color="grey", label=words["chance"])
    axes.set(
        xlabel=words["false_positive_rate"], ylabel=words["true_positive_rate"], title=words["roc_title"]
    )


def _precision_recall(axes, churned, probabilities, words):
    for name, probability in probabilities.items():
        precision, recall, _ = precision_recall_curve(churned, probability)
        axes.plot(recall, precision, label=name)
    axes.axhline(np.mean(churned), linestyle=":", color="grey", label=words["churn_rate"])
    axes.set(xlabel=words["recall"], ylabel=words["precision"], title=words["pr_title"])


def _calibration(axes, churned, probabilities, words):
    for name, probability in probabilities.items():
        table = calibration_table(churned, probability)
        axes.plot([row[0] for row in table], [row[1] for row in table], marker="o", label=name)
    axes.plot([0, 1], [0, 1], linestyle=":", color="grey", label=words["perfect"])
    axes.set(
        xlabel=words["predicted_probability"],
        ylabel=words["observed_churn_rate"],
        title=words["calibration_title"],
    )


def _lift(axes, churned, probabilities, words):
    churned = np.asarray(churned, dtype=float)
    share = np.arange(1, len(churned) + 1) / len(churned)
    for name, probability in probabilities.items():
        ranked = churned[np.argsort(-np.asarray(probability), kind="stable")]
        axes.plot(share, np.cumsum(ranked) / churned.sum(), label=name)
    axes.plot([0, 1], [0, 1], linestyle=":", color="grey", label=words["random"])
    axes.set(xlabel=words["share_contacted"], ylabel=words["share_reached"], title=words["lift_title"])
