"""The charts a reviewer looks at for a training run: ROC, precision-recall, calibration, lift, and
importance by feature and by survey reason. PNG files, drawn without a display."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no window, no display needed on a server

import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import precision_recall_curve, roc_curve  # noqa: E402

from models.metrics import calibration_table  # noqa: E402


def draw_evaluation_charts(
    churned: np.ndarray, probabilities: dict[str, np.ndarray], folder: Path
) -> list[Path]:
    """ROC, precision-recall, calibration and lift of every model on the test cutoff."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, draw in (
        ("roc.png", _roc),
        ("precision_recall.png", _precision_recall),
        ("calibration.png", _calibration),
        ("lift.png", _lift),
    ):
        figure, axes = plt.subplots(figsize=(6, 5))
        draw(axes, churned, probabilities)
        axes.legend(loc="best")
        axes.grid(alpha=0.3)
        figure.tight_layout()
        paths.append(folder / name)
        figure.savefig(paths[-1], dpi=100)
        plt.close(figure)
    return paths


def draw_bars(values: pd.Series, title: str, path: Path, top: int = 25) -> Path:
    """A horizontal bar chart of the largest values (feature importance, SHAP by reason)."""
    shown = values.sort_values(ascending=True).tail(top)
    figure, axes = plt.subplots(figsize=(7, max(3, 0.3 * len(shown) + 1)))
    axes.barh(shown.index.astype(str), shown.to_numpy())
    axes.set_title(title)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path


def _roc(axes, churned, probabilities):
    for name, probability in probabilities.items():
        false_positive, true_positive, _ = roc_curve(churned, probability)
        axes.plot(false_positive, true_positive, label=name)
    axes.plot([0, 1], [0, 1], linestyle=":", color="grey", label="chance")
    axes.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC, test cutoff")


def _precision_recall(axes, churned, probabilities):
    for name, probability in probabilities.items():
        precision, recall, _ = precision_recall_curve(churned, probability)
        axes.plot(recall, precision, label=name)
    axes.axhline(np.mean(churned), linestyle=":", color="grey", label="churn rate")
    axes.set(xlabel="recall", ylabel="precision", title="Precision-recall, test cutoff")


def _calibration(axes, churned, probabilities):
    for name, probability in probabilities.items():
        table = calibration_table(churned, probability)
        axes.plot([row[0] for row in table], [row[1] for row in table], marker="o", label=name)
    axes.plot([0, 1], [0, 1], linestyle=":", color="grey", label="perfect")
    axes.set(xlabel="predicted probability", ylabel="observed churn rate", title="Calibration, test cutoff")


def _lift(axes, churned, probabilities):
    churned = np.asarray(churned, dtype=float)
    share = np.arange(1, len(churned) + 1) / len(churned)
    for name, probability in probabilities.items():
        ranked = churned[np.argsort(-np.asarray(probability), kind="stable")]
        axes.plot(share, np.cumsum(ranked) / churned.sum(), label=name)
    axes.plot([0, 1], [0, 1], linestyle=":", color="grey", label="random")
    axes.set(
        xlabel="share of customers contacted (highest risk first)",
        ylabel="share of churners reached",
        title="Cumulative gains, test cutoff",
    )
