"""Exact TreeSHAP for shallow XGBoost trees, looked up instead of recomputed for every customer.

XGBoost's `pred_contribs` (path-dependent TreeSHAP) gives a tree's contributions for a customer from
the tree's structure, its covers and *which way the customer goes at each split*: nothing else about
the customer enters. A depth-3 tree has at most 7 splits, so at most 2^7 ways through it, however
many customers there are. So each tree's contributions are computed once per way, by XGBoost's own
`pred_contribs` on one representative row per way; a customer's contributions are then the sum, over
the trees, of the row of the way they go. The numbers are XGBoost's (a test checks them against the
full `pred_contribs` call); the work per customer is a few comparisons per split instead of the
TreeSHAP recursion: 5 s instead of the bare call's 103 s for a million customers on the project's
2-core VM (`benchmarks/nightly_scale.py`).

Deeper trees have too many ways (2^splits) for a table; for them `TreeShapTables.build` returns
None and the caller uses `pred_contribs` directly.
"""

from __future__ import annotations

import functools
import itertools
import json
from dataclasses import dataclass

import numpy as np
import xgboost as xgb

MAX_SPLITS = 11  # per tree: a table of 2^11 ways (depth 3 has 7 splits; a full depth-4 tree, 15)
MAX_REPRESENTATIVES = 20_000  # rows sent to pred_contribs for one tree's table
CHUNK_ROWS = 65_536  # customers at a time: a chunk's columns stay in the CPU cache across trees
KEPT_MODELS = 4  # tables kept per process, by the model's content: a run scores with one model


@functools.lru_cache(maxsize=KEPT_MODELS)
def _tables_of(model_bytes: bytes, feature_names: tuple[str, ...]) -> TreeShapTables | None:
    booster = xgb.Booster(model_file=bytearray(model_bytes))
    return TreeShapTables.build(booster, list(feature_names))


def tree_shap_tables(booster: xgb.Booster, feature_names: list[str]) -> TreeShapTables | None:
    """The booster's tables, built on first use (about a second for 200 trees) and kept for the
    same model, also when it comes unpickled again (each partition of a run gets its own copy)."""
    return _tables_of(bytes(booster.save_raw(raw_format="ubj")), tuple(feature_names))


@dataclass(frozen=True)
class TreeTable:
    """One tree's splits and its contributions per way through it."""

    split_features: np.ndarray  # feature index of each split (int)
    thresholds: np.ndarray  # float32: a value below the threshold goes left, as in XGBoost
    default_left: np.ndarray  # bool: where a missing value goes
    used: np.ndarray  # the distinct features the tree splits on
    by_way: np.ndarray  # float64, used features × way codes (bit i of a code: left at split i)

    def ways(self, columns: np.ndarray) -> np.ndarray:
        return way_codes(self.split_features, self.thresholds, self.default_left, columns)


def way_codes(
    split_features: np.ndarray, thresholds: np.ndarray, default_left: np.ndarray, columns: np.ndarray
) -> np.ndarray:
    """Each row's way through a tree (bit i: left at split i); `columns` is float32, features × rows."""
    code = np.zeros(columns.shape[1], dtype=np.int32)
    for bit, (feature, threshold, left) in enumerate(
        zip(split_features, thresholds, default_left, strict=True)
    ):
        # A comparison with NaN is false: `not (x >= t)` sends a missing value left.
        goes_left = ~(columns[feature] >= threshold) if left else columns[feature] < threshold
        code += goes_left * np.int32(1 << bit)
    return code


@dataclass(frozen=True)
class TreeShapTables:
    tables: list[TreeTable]
    feature_count: int
    base_value: float  # the bias column of pred_contribs: the same for every customer

    @classmethod
    def build(cls, booster: xgb.Booster, feature_names: list[str]) -> TreeShapTables | None:
        """The tables of every tree of `booster`, or None when a tree is too deep to tabulate."""
        learner = json.loads(booster.save_raw(raw_format="json"))["learner"]
        gradient_booster, model_parameters = learner["gradient_booster"], learner["learner_model_param"]
        if gradient_booster["name"] != "gbtree":
            return None  # dart drops trees at random, gblinear has none
        trees = gradient_booster["model"]["trees"]
        one_tree_per_round = (
            int(gradient_booster["model"]["gbtree_model_param"]["num_parallel_tree"]) == 1
            and len(trees) == booster.num_boosted_rounds()
        )
        single_output = int(model_parameters["num_target"]) == 1 and int(model_parameters["num_class"]) <= 1
        categorical = any(int(kind) != 0 for tree in trees for kind in tree["split_type"])
        if not (one_tree_per_round and single_output) or categorical:
            return None  # a forest per round, several outputs, categorical splits: not this project's models
        tables = []
        for number, tree in enumerate(trees):
            table = _tabulate(booster[number : number + 1], tree, feature_names)
            if table is None:
                return None
            tables.append(table)
        empty = np.full((1, len(feature_names)), np.nan, dtype=np.float32)
        bias = booster.predict(xgb.DMatrix(empty, feature_names=feature_names), pred_contribs=True)[0, -1]
        return cls(tables, len(feature_names), float(bias))

    def contributions(self, features: np.ndarray) -> np.ndarray:
        """Per-feature contributions (float32, rows × features) of a rows × features matrix, compared
        in float32 as XGBoost compares it."""
        features = np.asarray(features, dtype=np.float32)
        result = np.empty(features.shape, dtype=np.float32)
        for start in range(0, len(features), CHUNK_ROWS):
            columns = np.ascontiguousarray(features[start : start + CHUNK_ROWS].T)
            total = np.zeros((self.feature_count, columns.shape[1]), dtype=np.float64)
            for table in self.tables:
                code = table.ways(columns)
                for feature, values in zip(table.used, table.by_way, strict=True):
                    total[feature] += values.take(code)
            result[start : start + CHUNK_ROWS] = total.T
        return result


def _tabulate(one_tree: xgb.Booster, tree: dict, feature_names: list[str]) -> TreeTable | None:
    left = np.asarray(tree["left_children"])
    splits = np.flatnonzero(left != -1)
    if len(splits) > MAX_SPLITS:
        return None
    split_features = np.asarray(tree["split_indices"])[splits].astype(np.int64)
    thresholds = np.asarray(tree["split_conditions"], dtype=np.float64)[splits].astype(np.float32)
    default_left = np.asarray(tree["default_left"])[splits].astype(bool)
    used = np.unique(split_features)
    if len(splits) == 0:  # a lone leaf: it only moves the base value
        return TreeTable(split_features, thresholds, default_left, used, np.zeros((0, 1)))
    # One candidate value per interval between a feature's thresholds, and a missing value: together
    # they take every way through the tree that a customer can take.
    candidates = []
    for feature in used:
        cuts = np.unique(thresholds[split_features == feature])
        below = np.nextafter(cuts[0], np.float32(-np.inf), dtype=np.float32)
        candidates.append(np.concatenate([[below], cuts, [np.float32(np.nan)]]).astype(np.float32))
    if np.prod([len(values) for values in candidates], dtype=np.float64) > MAX_REPRESENTATIVES:
        return None
    rows = np.array(list(itertools.product(*candidates)), dtype=np.float32).reshape(-1, len(used))
    representatives = np.full((len(rows), len(feature_names)), np.nan, dtype=np.float32)
    representatives[:, used] = rows
    ways = way_codes(split_features, thresholds, default_left, np.ascontiguousarray(representatives.T))
    codes, first = np.unique(ways, return_index=True)
    # One thread: a hundred rows; starting threads would cost more than the call.
    one_tree.set_param({"nthread": 1})
    matrix = xgb.DMatrix(representatives[first], feature_names=feature_names, nthread=1)
    contributions = one_tree.predict(matrix, pred_contribs=True)
    # A way no value can take (two splits on one feature that contradict each other) stays NaN.
    by_way = np.full((len(used), 2 ** len(splits)), np.nan)
    by_way[:, codes] = contributions[:, used].T
    return TreeTable(split_features, thresholds, default_left, used, by_way)
