"""Tabulated TreeSHAP gives XGBoost's own pred_contribs, on every way a customer can take."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pandas as pd
import pytest
import xgboost as xgb

from models import tree_shap
from models.reasons import shap_contributions
from models.training import Calibration, XGBoostChurnModel
from models.tree_shap import TreeShapTables, tree_shap_tables

FEATURES = [f"f{index}" for index in range(6)]


def train(depth: int, seed: int = 0, **extra) -> xgb.Booster:
    """A booster with missing values both ways, and one strong feature split on again and again."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(4_000, len(FEATURES))).astype(np.float32)
    x[rng.random(x.shape) < 0.15] = np.nan
    x[:, 3] = np.round(x[:, 3], 1)  # ties at the thresholds
    signal = np.nan_to_num(x[:, 0]) * 2 + np.sin(3 * np.nan_to_num(x[:, 0])) + np.isnan(x[:, 1])
    y = (signal + rng.normal(size=len(x)) > 0.5).astype(int)
    matrix = xgb.DMatrix(x, y, feature_names=FEATURES)
    parameters = {
        "max_depth": depth,
        "eta": 0.3,
        "objective": "binary:logistic",
        "subsample": 0.8,
        "seed": seed,
        **extra,
    }
    return xgb.train(parameters, matrix, num_boost_round=60)


def thresholds_of(booster: xgb.Booster) -> dict[int, np.ndarray]:
    trees = json.loads(booster.save_raw(raw_format="json"))["learner"]["gradient_booster"]["model"]["trees"]
    found: dict[int, list[float]] = {}
    for tree in trees:
        for left, feature, value in zip(
            tree["left_children"], tree["split_indices"], tree["split_conditions"], strict=True
        ):
            if left != -1:
                found.setdefault(feature, []).append(value)
    return {feature: np.unique(np.float32(values)) for feature, values in found.items()}


def repeats_a_feature_on_a_path(booster: xgb.Booster) -> bool:
    """Whether some tree splits twice on one feature along one path: TreeSHAP's hardest case."""
    trees = json.loads(booster.save_raw(raw_format="json"))["learner"]["gradient_booster"]["model"]["trees"]

    def walk(tree: dict, node: int, seen: frozenset) -> bool:
        if tree["left_children"][node] == -1:
            return False
        feature = tree["split_indices"][node]
        if feature in seen:
            return True
        below = seen | {feature}
        return walk(tree, tree["left_children"][node], below) or walk(
            tree, tree["right_children"][node], below
        )

    return any(walk(tree, 0, frozenset()) for tree in trees)


def edge_rows(booster: xgb.Booster, count: int, seed: int) -> np.ndarray:
    """Values exactly at a threshold, just below one, missing, the largest floats, or anywhere
    (XGBoost refuses infinities, as the pipeline's features never have them)."""
    rng = np.random.default_rng(seed)
    rows = rng.normal(size=(count, len(FEATURES))).astype(np.float32)
    for feature, cuts in thresholds_of(booster).items():
        pick = rng.integers(0, 5, size=count)
        at = rng.choice(cuts, size=count)
        rows[pick == 0, feature] = at[pick == 0]
        rows[pick == 1, feature] = np.nextafter(at, np.float32(-np.inf))[pick == 1]
        rows[pick == 2, feature] = np.nan
        rows[pick == 3, feature] = rng.choice(np.float32([3e38, -3e38]), size=count)[pick == 3]
    return rows


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_tables_give_xgboosts_own_contributions_on_every_kind_of_value(depth, monkeypatch):
    booster = train(depth)
    tables = TreeShapTables.build(booster, FEATURES)
    assert tables is not None
    assert repeats_a_feature_on_a_path(booster) or depth == 1
    rows = edge_rows(booster, 20_000, seed=depth)
    expected = booster.predict(xgb.DMatrix(rows, feature_names=FEATURES), pred_contribs=True)
    monkeypatch.setattr(tree_shap, "CHUNK_ROWS", 6_000)  # several chunks, the last one short
    got = tables.contributions(rows)
    np.testing.assert_allclose(got, expected[:, :-1], rtol=1e-5, atol=2e-6)
    assert tables.base_value == pytest.approx(float(expected[0, -1]), abs=1e-6)
    # every way a row took has a value: none fell on a way the tables did not reach
    assert np.isfinite(got).all()


@pytest.mark.parametrize("depth, extra", [(4, {}), (6, {}), (3, {"num_parallel_tree": 2})])
def test_other_models_are_not_tabulated_and_still_explained_exactly(depth, extra):
    """Deeper trees have too many ways through them; a forest per round is not one tree per slice."""
    booster = train(depth, **extra)
    assert TreeShapTables.build(booster, FEATURES) is None
    rows = pd.DataFrame(edge_rows(booster, 2_000, seed=9), columns=FEATURES)
    model = XGBoostChurnModel(booster, Calibration((0.0, 1.0), (0.0, 1.0)), FEATURES)
    contributions, base = shap_contributions(model, rows)
    np.testing.assert_allclose(contributions.sum(axis=1) + base, model.margin(rows), rtol=1e-5, atol=1e-4)


def test_tables_are_built_once_per_model_even_for_an_unpickled_copy():
    booster = train(depth=3)
    tables = tree_shap_tables(booster, FEATURES)
    assert tree_shap_tables(booster, FEATURES) is tables
    # Each partition of a run unpickles its own copy of the champion: the tables are not rebuilt.
    assert tree_shap_tables(pickle.loads(pickle.dumps(booster)), FEATURES) is tables


def test_trees_that_are_one_leaf_only_move_the_base_value():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(500, len(FEATURES))).astype(np.float32)
    matrix = xgb.DMatrix(x, (x[:, 0] > 0).astype(int), feature_names=FEATURES)
    # A huge split penalty: no split is worth making, every tree is a single leaf.
    booster = xgb.train({"max_depth": 3, "gamma": 1e9, "objective": "binary:logistic"}, matrix, 5)
    tables = TreeShapTables.build(booster, FEATURES)
    expected = booster.predict(matrix, pred_contribs=True)
    np.testing.assert_array_equal(tables.contributions(x), np.zeros_like(x))
    assert tables.base_value == pytest.approx(float(expected[0, -1]), abs=1e-6)
