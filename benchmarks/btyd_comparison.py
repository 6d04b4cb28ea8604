"""Benchmark: the pipeline against the classic buy-till-you-die model (BG/NBD) on orders alone.

A transactions-only shop: only `orders` (customer, time, amount). Both predict, at the same test
cutoff and horizon, who makes no purchase in the next `horizon_days`:
- the pipeline: its orders-only features, trained on earlier cutoffs (out of time, as `churn train`);
- BG/NBD (Fader, Hardie & Lee 2005), fitted by maximum likelihood on the purchase histories known at
  the test cutoff; P(no purchase in the horizon) = 1 − P(alive) + P(alive) · ((α+T)/(α+T+t))^(r+x).

    python benchmarks/btyd_comparison.py                  # 20,000 synthetic customers
    python benchmarks/btyd_comparison.py --customers 50000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import betaln, gammaln
from sklearn.metrics import average_precision_score, roc_auc_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.machine import describe_machine  # noqa: E402 - after the path is set

AS_OF = "2025-12-31"


def bgnbd_summary(orders: pd.DataFrame, ids: pd.Index, cutoff: pd.Timestamp) -> pd.DataFrame:
    """x (repeat purchase days), t_x (days from first to last purchase day), T (days from first to cutoff)."""
    known = orders[(orders["ordered_at"] < cutoff) & (orders["amount"] >= 0)]
    days = known.assign(day=known["ordered_at"].dt.floor("D"))[["customer_id", "day"]].drop_duplicates()
    grouped = days.groupby("customer_id", observed=True)["day"]
    first, last, count = grouped.min(), grouped.max(), grouped.size()
    summary = pd.DataFrame(
        {
            "x": (count - 1).astype(float),
            "t_x": (last - first).dt.days.astype(float),
            "T": ((cutoff - first) / pd.Timedelta(days=1)).astype(float),
        }
    )
    return summary.reindex(ids)


def bgnbd_fit(x: np.ndarray, t_x: np.ndarray, big_t: np.ndarray) -> tuple[float, float, float, float]:
    def negative_log_likelihood(log_params: np.ndarray) -> float:
        r, alpha, a, b = np.exp(log_params)
        common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
        stays = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + big_t)
        with np.errstate(divide="ignore", invalid="ignore"):
            drops = np.where(
                x > 0,
                betaln(a + 1, b + x - 1) - betaln(a, b) - (r + x) * np.log(alpha + t_x),
                -np.inf,
            )
        return -np.sum(common + np.logaddexp(stays, drops))

    start = np.log([1.0, 30.0, 1.0, 3.0])
    found = minimize(
        negative_log_likelihood, start, method="Nelder-Mead", options={"maxiter": 4000, "xatol": 1e-6}
    )
    return tuple(np.exp(found.x))


def bgnbd_no_purchase_probability(params, x, t_x, big_t, horizon_days: float) -> np.ndarray:
    r, alpha, a, b = params
    with np.errstate(divide="ignore", invalid="ignore"):
        odds_dropped = np.where(x > 0, (a / (b + x - 1)) * ((alpha + big_t) / (alpha + t_x)) ** (r + x), 0.0)
    alive = 1 / (1 + odds_dropped)
    quiet_if_alive = ((alpha + big_t) / (alpha + big_t + horizon_days)) ** (r + x)
    return (1 - alive) + alive * quiet_if_alive


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--horizon-days", type=int, default=90)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from features.build import build_training_set
    from features.synthetic import generate_crm
    from features.timeline import cutoff_instant
    from models.split import split_out_of_time
    from models.training import LABEL, train_models

    print(f"machine: {describe_machine()}; {args.customers:,} synthetic customers, orders only")
    crm = generate_crm(args.customers, args.seed)
    orders = crm.tables["orders"][["customer_id", "ordered_at", "amount"]]
    orders = orders.assign(customer_id=orders["customer_id"].astype(str))
    started = time.perf_counter()
    training_set = build_training_set({"orders": orders}, AS_OF, args.horizon_days, 24)
    split = split_out_of_time(training_set, args.horizon_days)
    models = train_models(split, seed=0)
    test = split.test
    churned = test[LABEL].to_numpy()
    pipeline_seconds = time.perf_counter() - started

    started = time.perf_counter()
    test_day = test.index.get_level_values("cutoff")[0]
    ids = test.index.get_level_values("customer_id")
    summary = bgnbd_summary(orders, pd.Index(ids), cutoff_instant(test_day))
    params = bgnbd_fit(*(summary[c].to_numpy() for c in ("x", "t_x", "T")))
    bgnbd = bgnbd_no_purchase_probability(
        params, *(summary[c].to_numpy() for c in ("x", "t_x", "T")), args.horizon_days
    )
    bgnbd_seconds = time.perf_counter() - started

    print(
        f"test cutoff {test_day:%Y-%m-%d}, horizon {args.horizon_days} days: {len(test):,} customers, "
        f"churn rate {churned.mean():.1%}"
    )
    print(f"BG/NBD parameters r={params[0]:.3f} alpha={params[1]:.2f} a={params[2]:.3f} b={params[3]:.3f}")
    rows = {name: model.predict_proba(test) for name, model in models.by_name().items()}
    rows["BG/NBD"] = bgnbd
    print(f"  {'model':<10} {'ROC AUC':>8} {'PR AUC':>8}")
    for name, probability in rows.items():
        roc, pr = roc_auc_score(churned, probability), average_precision_score(churned, probability)
        print(f"  {name:<10} {roc:8.3f} {pr:8.3f}")
    print(f"pipeline (training set + three models) {pipeline_seconds:.1f} s; BG/NBD {bgnbd_seconds:.1f} s")


if __name__ == "__main__":
    main()
