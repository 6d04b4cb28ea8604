"""Fit the churn models on an out-of-time split and calibrate their probabilities.

Three models on the same rows: XGBoost (the main model), a scikit-learn logistic regression
pipeline, and a recency-only baseline, so every report shows what the features add over "how long
since the last order". XGBoost stops early on the validation cutoff; the XGBoost and logistic
probabilities are then calibrated on that cutoff with isotonic regression (stored as its
thresholds, so a model never needs pickling).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.impute import SimpleImputer
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from features.config import feature_definitions
from models.reasons import reference_contributions
from models.split import OutOfTimeSplit, TrainingDataError

LABEL = "churned"
TIE_BREAK = 1e-6
# Stayers' rows sampled for the reasons' reference: a mean contribution to 3 decimals needs no more.
REFERENCE_ROWS = 100_000
MIN_CLASS_ROWS = {"train": 50, "validation": 20, "test": 20}
# Sized for exact TreeSHAP on every customer every night: its cost grows with trees × leaves ×
# depth², and depth 3 at rate 0.2 costs a fourteenth of depth 5 at 0.05 (4-8× faster as measured on
# 28,000 rows) with the same test AUC and reason accuracy (`python benchmarks/scoring.py --tradeoff`;
# README: Performance).
XGBOOST_PARAMS = {
    "n_estimators": 400,  # an upper bound that caps SHAP's cost; early stopping on validation decides
    "learning_rate": 0.2,
    "max_depth": 3,
    "min_child_weight": 5,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "reg_lambda": 1.0,
    "tree_method": "hist",
    "eval_metric": "logloss",
    "early_stopping_rounds": 50,
}


@dataclass(frozen=True)
class Calibration:
    """A monotone map from a raw score to a probability: isotonic regression's thresholds."""

    raw: tuple[float, ...]
    probability: tuple[float, ...]

    @classmethod
    def fit(cls, raw_score: np.ndarray, churned: np.ndarray) -> Calibration:
        isotonic = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(raw_score, churned)
        return cls(tuple(map(float, isotonic.X_thresholds_)), tuple(map(float, isotonic.y_thresholds_)))

    def apply(self, raw_score: np.ndarray) -> np.ndarray:
        """IsotonicRegression.predict's interpolation, moved by at most 2e-6 to keep the
        raw order inside each flat step: the steps would otherwise tie hundreds of customers, and
        AUC, lift and the top-10% cut would depend on row order."""
        raw_score = np.asarray(raw_score, dtype=float)
        nudge = raw_score / (1 + np.abs(raw_score))  # increasing, within (-1, 1)
        stepped = np.interp(raw_score, self.raw, self.probability)
        return TIE_BREAK + (1 - 2 * TIE_BREAK) * stepped + TIE_BREAK * nudge  # stays inside (0, 1)

    def to_dict(self) -> dict:
        return {"raw": list(self.raw), "probability": list(self.probability)}

    @classmethod
    def from_dict(cls, data: dict) -> Calibration:
        return cls(tuple(data["raw"]), tuple(data["probability"]))


@dataclass
class XGBoostChurnModel:
    """The main model: a booster whose sigmoid output is calibrated on the validation cutoff.

    `reference_contributions`: each feature's mean TreeSHAP contribution over the training rows of
    customers who stayed, what the SHAP reasons are measured against (`models.reasons`); None for a
    model registered before it was kept. `stayer_medians`: each feature's median over the same rows
    (NaN where none has a value): the side a value must lie on to be quoted as a reason's evidence.
    `feature_definitions`: what each feature meant when the model learnt it
    (`features.config.feature_definitions`); None for a model registered before it was kept.
    """

    booster: xgb.Booster
    calibration: Calibration
    feature_names: list[str]
    reference_contributions: np.ndarray | None = None
    stayer_medians: np.ndarray | None = None
    feature_definitions: dict[str, str] | None = None

    def margin(self, features: pd.DataFrame) -> np.ndarray:
        """The booster's log-odds: what SHAP contributions add up to."""
        matrix = xgb.DMatrix(features[self.feature_names], feature_names=self.feature_names)
        return self.booster.predict(matrix, output_margin=True)

    def predict_proba(self, features: pd.DataFrame) -> np.ndarray:
        return self.calibration.apply(1 / (1 + np.exp(-self.margin(features))))


@dataclass
class LogisticChurnModel:
    pipeline: Pipeline
    calibration: Calibration
    feature_names: list[str]

    def predict_proba(self, features: pd.DataFrame) -> np.ndarray:
        raw = self.pipeline.predict_proba(features[self.feature_names].to_numpy(dtype=float))[:, 1]
        return self.calibration.apply(raw)


@dataclass
class RecencyBaseline:
    """Churn rate as a monotone function of days since the last order, learnt on the training rows."""

    calibration: Calibration
    feature_names: list[str] = field(default_factory=lambda: ["days_since_last_order"])

    def predict_proba(self, features: pd.DataFrame) -> np.ndarray:
        return self.calibration.apply(features["days_since_last_order"].to_numpy(dtype=float))


@dataclass
class TrainedModels:
    xgboost: XGBoostChurnModel
    logistic: LogisticChurnModel
    recency: RecencyBaseline
    best_iteration: int
    left_out: tuple[str, ...] = ()  # features with one value in every training row (`feature_columns`)

    def by_name(self) -> dict[str, XGBoostChurnModel | LogisticChurnModel | RecencyBaseline]:
        return {"xgboost": self.xgboost, "logistic": self.logistic, "recency": self.recency}


def feature_columns(training_rows: pd.DataFrame) -> list[str]:
    """The features the models learn from: every column but the label, less those with one value in
    every training row (a CRM whose contact topics never mention quality, say). Such a column cannot
    split a tree, and leaving it in would only change which useful columns `colsample_bytree` draws."""
    return [name for name in training_rows.columns if name != LABEL and _varies(training_rows[name])]


def _varies(column: pd.Series) -> bool:
    values = column.to_numpy(dtype=float, na_value=np.nan)  # a column at a time: no copy of the set
    missing = np.isnan(values)
    if missing.all():
        return False
    return bool(missing.any() or values.min() < values.max())


def check_learnable(split: OutOfTimeSplit) -> None:
    """Refuse data that cannot train or test a model honestly, saying what is short."""
    for name, part in (("train", split.train), ("validation", split.validation), ("test", split.test)):
        churners = int(part[LABEL].sum())
        stayers = len(part) - churners
        least = MIN_CLASS_ROWS[name]
        cutoffs = ", ".join(split.cutoffs[name])
        if churners == 0 or stayers == 0:
            only = "churners" if stayers == 0 else "stayers"
            raise TrainingDataError(
                f"the {name} cutoffs ({cutoffs}) hold only {only} ({len(part):,} rows): one class cannot "
                "be learnt or tested; check the churn definition and horizon"
            )
        if churners < least or stayers < least:
            raise TrainingDataError(
                f"the {name} cutoffs ({cutoffs}) hold {churners:,} churners and {stayers:,} stayers; "
                f"at least {least} of each are needed: more customers, more cutoffs or a longer horizon"
            )


# (x_train, y_train, weights of the training rows, x_valid, y_valid, seed) -> (booster, best
# iteration): where XGBoost trains.
BoosterFit = Callable[
    [pd.DataFrame, np.ndarray, np.ndarray, pd.DataFrame, np.ndarray, int], tuple[xgb.Booster, int]
]


def fit_booster_here(
    x_train: pd.DataFrame,
    y_train: np.ndarray,
    w_train: np.ndarray,
    x_valid: pd.DataFrame,
    y_valid: np.ndarray,
    seed: int,
) -> tuple[xgb.Booster, int]:
    """XGBoost in this process, on every core, stopping early on the validation cutoff."""
    classifier = xgb.XGBClassifier(**XGBOOST_PARAMS, random_state=seed, n_jobs=os.cpu_count())
    classifier.fit(x_train, y_train, sample_weight=w_train, eval_set=[(x_valid, y_valid)], verbose=False)
    return classifier.get_booster(), int(classifier.best_iteration)


def train_models(
    split: OutOfTimeSplit,
    seed: int = 0,
    fit_booster: BoosterFit = fit_booster_here,
    booster_weights: np.ndarray | None = None,
) -> TrainedModels:
    """Fit and calibrate all three models; the same split and seed give the same models.

    `fit_booster` trains the XGBoost booster: here, or on a Dask cluster (`pipelines.partitioned`).
    `booster_weights` weigh the training rows for XGBoost only (`models.exit_reasons`); the
    baselines, every calibration and the reasons' stayer reference see the rows unweighted.
    """
    check_learnable(split)
    names = feature_columns(split.train)
    if not names:
        raise TrainingDataError(
            f"every feature has one value in all {len(split.train):,} training rows: nothing tells "
            "churners from stayers; check the CRM's export"
        )
    x_train, y_train = split.train[names], split.train[LABEL].to_numpy()
    x_valid, y_valid = split.validation[names], split.validation[LABEL].to_numpy()
    w_train = np.ones(len(y_train)) if booster_weights is None else np.asarray(booster_weights, dtype=float)
    if len(w_train) != len(y_train):
        raise ValueError(f"{len(w_train)} booster weights for {len(y_train)} training rows")

    booster, best = fit_booster(x_train, y_train, w_train, x_valid, y_valid, seed)
    booster = booster[: best + 1]  # keep the trees up to the best round only
    uncalibrated = XGBoostChurnModel(booster, Calibration((0.0, 1.0), (0.0, 1.0)), names)
    xgboost_model = XGBoostChurnModel(
        booster, Calibration.fit(uncalibrated.predict_proba(x_valid), y_valid), names
    )
    # Positions first, then the rows: a copy of every stayer's row would cost gigabytes at scale.
    stayers = np.flatnonzero(y_train == 0)
    sampled = np.random.default_rng(seed).choice(stayers, min(REFERENCE_ROWS, len(stayers)), replace=False)
    stayer_rows = x_train.iloc[np.sort(sampled)]
    xgboost_model.reference_contributions = reference_contributions(xgboost_model, stayer_rows)
    xgboost_model.stayer_medians = stayer_rows.astype(float).median(skipna=True).to_numpy(dtype=np.float64)
    xgboost_model.feature_definitions = feature_definitions(names)

    pipeline = make_pipeline(
        SimpleImputer(strategy="median", add_indicator=True),
        StandardScaler(),
        LogisticRegression(max_iter=2000, C=0.5),
    )
    pipeline.fit(x_train.to_numpy(dtype=float), y_train)
    raw_valid = pipeline.predict_proba(x_valid.to_numpy(dtype=float))[:, 1]
    logistic = LogisticChurnModel(pipeline, Calibration.fit(raw_valid, y_valid), names)

    recency = RecencyBaseline(
        Calibration.fit(x_train["days_since_last_order"].to_numpy(dtype=float), y_train)
    )
    left_out = tuple(name for name in split.train.columns if name != LABEL and name not in set(names))
    return TrainedModels(xgboost_model, logistic, recency, best_iteration=best, left_out=left_out)


def annual_value(features: pd.DataFrame) -> np.ndarray:
    """Expected annual value: average order value × orders in the last year (what leaving costs)."""
    return (features["avg_order_value"] * features["orders_365d"]).to_numpy(dtype=float)
