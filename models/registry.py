"""MLflow: where runs are tracked, how a model is logged and registered, and the champion gate.

Tracking goes to `MLFLOW_TRACKING_URI` when it is set (a tracking server), else to an embedded
SQLite store in the output folder (MLflow 3 deprecates the file store). A model is the XGBoost
booster in its native format plus its calibration as numbers (`calibration.json` in the run) and
the stayers' mean contribution per feature that the reasons are measured against
(`reason_reference.json`), their median value per feature that a reason's quoted evidence must
exceed or fall below (`stayer_medians.json`), and what each feature meant when it was learnt
(`feature_definitions.json`): nothing is pickled.
"""

from __future__ import annotations

import base64
import http.client
import logging
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import xgboost as xgb
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from mlflow.models import infer_signature

from features.errors import ChurnError, TransientError
from features.sources import url_without_password
from models.training import Calibration, XGBoostChurnModel

CHAMPION = "champion"
CHALLENGER = "challenger"
CALIBRATION_ARTIFACT = "calibration.json"
REASON_REFERENCE_ARTIFACT = "reason_reference.json"
STAYER_MEDIANS_ARTIFACT = "stayer_medians.json"
FEATURE_DEFINITIONS_ARTIFACT = "feature_definitions.json"


class NoChampionError(ChurnError):
    """Scoring or comparing needs a champion model and the registry has none."""


def missing_embedded_store(output_dir: Path) -> Path | None:
    """The embedded store's file when MLflow would use it (no MLFLOW_TRACKING_URI) and it does not
    exist: opening it would create it, and `output_dir`, only to find it empty. None otherwise."""
    store = Path(output_dir) / "mlflow.db"
    return store if not os.environ.get("MLFLOW_TRACKING_URI") and not store.exists() else None


def use_tracking(output_dir: Path) -> str:
    """Point MLflow at the tracking server or the embedded store; return the tracking URI as it may
    be shown (its password hidden: it goes into summaries, reports and run tags)."""
    chosen = os.environ.get("MLFLOW_TRACKING_URI")
    uri = chosen or f"sqlite:///{(output_dir / 'mlflow.db').resolve()}"
    if chosen is None:  # the embedded store's folder; a chosen URI's is the user's
        output_dir.mkdir(parents=True, exist_ok=True)
    if uri.startswith(("http://", "https://")):
        _check_reachable(uri)
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")  # no bars on a nightly log
    os.environ.setdefault("MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT", "true")  # the CLI says where runs went
    for noisy in ("mlflow", "alembic"):  # schema migrations and "creating experiment" chatter
        logging.getLogger(noisy).setLevel(logging.WARNING)
    mlflow.set_tracking_uri(uri)
    if chosen is None:
        # set_tracking_uri also exports the URI to the environment: a later run in this process (another
        # output folder) or a child process would take the embedded store for the user's server setting.
        os.environ.pop("MLFLOW_TRACKING_URI", None)
    return url_without_password(uri)


def _health_request(uri: str) -> urllib.request.Request:
    """GET <server>/health; login details in the URI (`http://user:pass@host:5000`, which MLflow's
    client accepts) go in a basic-auth header, as urllib does not read them from the URL."""
    parts = urllib.parse.urlsplit(uri)
    if parts.username is None and parts.password is None:
        return urllib.request.Request(f"{uri.rstrip('/')}/health")
    bare = urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))
    login = f"{urllib.parse.unquote(parts.username or '')}:{urllib.parse.unquote(parts.password or '')}"
    request = urllib.request.Request(f"{bare.rstrip('/')}/health")
    request.add_header("Authorization", "Basic " + base64.b64encode(login.encode()).decode())
    return request


def _check_reachable(uri: str) -> None:
    """Fail in seconds, before any work, when the tracking server does not answer."""
    shown = url_without_password(uri)
    try:
        with urllib.request.urlopen(_health_request(uri), timeout=5):
            pass
    except urllib.error.HTTPError as error:
        # It answered, with a refusal (a wrong path, no access): waiting will not change that.
        kind = TransientError if error.code >= 500 else ChurnError
        raise kind(f"the MLflow tracking server at {shown} answered {error.code} {error.reason}") from error
    except (ValueError, http.client.InvalidURL) as error:
        raise ChurnError(f"MLFLOW_TRACKING_URI {shown!r} is not a usable URL ({error})") from error
    except OSError as error:
        reason = getattr(error, "reason", error)
        raise TransientError(
            f"the MLflow tracking server at {shown} does not answer ({reason}); start it, or unset "
            "MLFLOW_TRACKING_URI to use the embedded store"
        ) from error


def experiment_id(name: str, output_dir: Path) -> str:
    """The experiment's id, created on first use; with the embedded store its artifacts live next to it."""
    client = MlflowClient()
    found = client.get_experiment_by_name(name)
    if found is not None:
        return found.experiment_id
    embedded = mlflow.get_tracking_uri().startswith("sqlite:")
    location = (output_dir / "mlartifacts").resolve().as_uri() if embedded else None
    return client.create_experiment(name, artifact_location=location)


def log_model_version(
    model: XGBoostChurnModel, example: pd.DataFrame, registered_name: str, target: dict[str, str]
) -> str:
    """Log the booster (native format) and its calibration in the active run; register a version.

    The flavor's own `predict` gives the booster's uncalibrated probability (so says the signature);
    `load_version` applies `calibration.json` on top, and scoring goes through it. `target` (the
    churn definition, horizon and cutoffs) is tagged on the version, so a later gate can tell
    whether the champion answers the same question.
    """
    features = example[model.feature_names]
    raw = model.booster.predict(xgb.DMatrix(features, feature_names=model.feature_names))
    signature = infer_signature(features, raw)
    info = mlflow.xgboost.log_model(
        model.booster,
        name="model",
        model_format="ubj",
        signature=signature,
        input_example=features.head(5),
        pip_requirements=[f"xgboost=={xgb.__version__}"],  # skip inferring them: slow and noisy
    )
    mlflow.log_dict(model.calibration.to_dict(), CALIBRATION_ARTIFACT)
    if model.reference_contributions is not None:
        reference = dict(zip(model.feature_names, map(float, model.reference_contributions), strict=True))
        mlflow.log_dict(reference, REASON_REFERENCE_ARTIFACT)
    if model.stayer_medians is not None:
        # JSON has no NaN: a feature no stayer has a value for is null.
        medians = {
            name: float(value) if np.isfinite(value) else None
            for name, value in zip(model.feature_names, model.stayer_medians, strict=True)
        }
        mlflow.log_dict(medians, STAYER_MEDIANS_ARTIFACT)
    if model.feature_definitions is not None:
        mlflow.log_dict(model.feature_definitions, FEATURE_DEFINITIONS_ARTIFACT)
    client = MlflowClient()
    try:
        client.get_registered_model(registered_name)
    except MlflowException:
        client.create_registered_model(registered_name, description="Probability that a customer churns")
    run_id = mlflow.active_run().info.run_id
    version = client.create_model_version(
        registered_name, info.model_uri, run_id=run_id, model_id=info.model_id, tags=target
    )
    return str(version.version)


def load_version(registered_name: str, alias_or_version: str) -> tuple[str, XGBoostChurnModel]:
    """(version, model) for an alias (`champion`) or a version number."""
    client = MlflowClient()
    alias_or_version = str(alias_or_version)
    try:
        if alias_or_version.isdigit():
            version = client.get_model_version(registered_name, alias_or_version)
        else:
            version = client.get_model_version_by_alias(registered_name, alias_or_version)
    except MlflowException as error:
        raise NoChampionError(
            f"no model '{registered_name}@{alias_or_version}' in the registry at "
            f"{url_without_password(mlflow.get_tracking_uri())}; train one first with `churn train`, or "
            "point output_dir (--config) or MLFLOW_TRACKING_URI at the store that has one"
        ) from error
    try:
        # MLflow downloads a model held on a tracking server into a temporary folder it never
        # removes: one copy left in /tmp per nightly run. The booster is read into memory, so the
        # folder can go at once.
        with tempfile.TemporaryDirectory(prefix="churn-model-") as download:
            booster = mlflow.xgboost.load_model(
                f"models:/{registered_name}/{version.version}", dst_path=download
            )
        calibration = Calibration.from_dict(
            mlflow.artifacts.load_dict(f"runs:/{version.run_id}/{CALIBRATION_ARTIFACT}")
        )
        logged = {artifact.path for artifact in client.list_artifacts(version.run_id)}
        # A version registered before the reference was kept explains against TreeSHAP's own base;
        # one registered before the medians were kept quotes values on either side of the stayers.
        reference, medians, definitions = [
            mlflow.artifacts.load_dict(f"runs:/{version.run_id}/{name}") if name in logged else None
            for name in (REASON_REFERENCE_ARTIFACT, STAYER_MEDIANS_ARTIFACT, FEATURE_DEFINITIONS_ARTIFACT)
        ]
    except (MlflowException, OSError) as error:
        raise ChurnError(
            f"cannot load '{registered_name}' version {version.version} from "
            f"{url_without_password(mlflow.get_tracking_uri())}: "
            f"its files are missing ({type(error).__name__}); was the output folder moved since it was "
            "trained? Train again into a new folder, or restore it"
        ) from error
    names = list(booster.feature_names or [])

    def per_feature(values: dict | None, artifact: str, nulls: bool) -> np.ndarray | None:
        if values is None:
            return None
        lacking = [name for name in names if name not in values or (values[name] is None and not nulls)]
        if lacking:
            raise ChurnError(
                f"'{registered_name}' version {version.version}: its {artifact} lacks "
                f"{', '.join(lacking)}, which the model uses; the run's files were changed: train again"
            )
        return np.array([values[name] for name in names], dtype=np.float64)  # null -> NaN

    return str(version.version), XGBoostChurnModel(
        booster,
        calibration,
        names,
        per_feature(reference, REASON_REFERENCE_ARTIFACT, nulls=False),
        per_feature(medians, STAYER_MEDIANS_ARTIFACT, nulls=True),  # null: no stayer had a value
        definitions,
    )


def champion_alias_version(registered_name: str) -> str | None:
    """The version the champion alias points at, without loading its files; None: no champion."""
    try:
        return str(MlflowClient().get_model_version_by_alias(registered_name, CHAMPION).version)
    except MlflowException:
        return None


@dataclass(frozen=True)
class HandPromotion:
    """`churn promote`: which version is champion now, which was before, and what each predicts."""

    version: str
    previous: str | None  # None: there was no champion
    predicts: str  # "90-day horizon, churn as inactivity", from the version's tags
    previous_predicts: str | None

    @property
    def changed(self) -> bool:
        return self.previous != self.version


def _predicts(tags: dict[str, str]) -> str:
    return f"{tags.get('churn.horizon_days', '?')}-day horizon, churn as {tags.get('churn.definition', '?')}"


def promote_by_hand(registered_name: str, version: str) -> HandPromotion:
    """Make `version` the champion by hand: a rollback after a bad promotion, or a challenger the gate
    kept out. It must load as scoring will load it (its files whole), so a version that cannot score
    never becomes champion; the move is tagged on it (`promote.previous_champion`, `promote.at`)
    before the alias moves, as the gate records its decisions."""
    client = MlflowClient()
    try:
        registered = client.get_model_version(registered_name, version)
    except MlflowException:
        found = sorted(
            (str(item.version) for item in client.search_model_versions(f"name = '{registered_name}'")),
            key=int,
        )
        listed = (
            f"its versions: {', '.join(found)}"
            if found
            else "it has no version: train one with `churn train`"
        )
        raise ChurnError(
            f"no version {version} of '{registered_name}' in the registry at "
            f"{url_without_password(mlflow.get_tracking_uri())}; {listed}"
        ) from None
    load_version(registered_name, version)
    previous = champion_alias_version(registered_name)
    previous_predicts = (
        _predicts(client.get_model_version(registered_name, previous).tags) if previous else None
    )
    promotion = HandPromotion(version, previous, _predicts(registered.tags), previous_predicts)
    if promotion.changed:
        client.set_model_version_tag(registered_name, version, "promote.previous_champion", previous or "")
        client.set_model_version_tag(
            registered_name, version, "promote.at", f"{pd.Timestamp.now(tz='UTC'):%Y-%m-%dT%H:%M:%SZ}"
        )
        client.set_registered_model_alias(registered_name, CHAMPION, version)
    return promotion


@dataclass(frozen=True)
class GateDecision:
    promoted: bool
    reason: str
    champion_version: str | None = None
    champion_metrics: dict[str, float] | None = None


def decide_promotion(
    challenger: dict[str, float],
    champion: dict[str, float] | None,
    auc_tolerance: float,
    max_ece: float,
    baseline_auc: float | None = None,
) -> tuple[bool, str]:
    """Promote when the challenger's AUC is not worse than the champion's by more than the tolerance
    and its calibration error is within the bound; with no champion, the first model wins. A champion
    miscalibrated on the new rows loses to a calibrated challenger that still ranks customers better
    than `baseline_auc` (the recency baseline's AUC on the same rows): a model without skill,
    calibrated to the base rate, never replaces one with skill."""
    calibrated = challenger["ece"] <= max_ece
    if champion is None:  # something must score; say so when its calibration is off
        off = "" if calibrated else f" (its calibration error {challenger['ece']:.3f} is above {max_ece:.3f})"
        return True, "first model: no champion yet" + off
    if not calibrated:
        worse = " too" if champion["ece"] > max_ece else ""
        return False, (
            f"calibration error {challenger['ece']:.3f} is above the bound {max_ece:.3f} (the champion's "
            f"on these rows: {champion['ece']:.3f}{worse})"
        )
    if champion["ece"] > max_ece and baseline_auc is not None and challenger["roc_auc"] <= baseline_auc:
        return False, (
            f"the champion's calibration error on these rows, {champion['ece']:.3f}, is above the bound "
            f"{max_ece:.3f}, but the challenger's test AUC {challenger['roc_auc']:.4f} does not beat the "
            f"recency baseline's {baseline_auc:.4f}"
        )
    if champion["ece"] > max_ece:
        return True, (
            f"the champion's calibration error on these rows, {champion['ece']:.3f}, is above the bound "
            f"{max_ece:.3f}; the challenger's is {challenger['ece']:.3f}"
        )
    if challenger["roc_auc"] < champion["roc_auc"] - auc_tolerance:
        return False, (
            f"test AUC {challenger['roc_auc']:.4f} is worse than the champion's {champion['roc_auc']:.4f} "
            f"on the same rows by more than {auc_tolerance}"
        )
    return True, (
        f"test AUC {challenger['roc_auc']:.4f} against the champion's {champion['roc_auc']:.4f} on the "
        f"same rows (tolerance {auc_tolerance}); calibration error {challenger['ece']:.3f} ≤ {max_ece:.3f}"
    )


def record_decision(registered_name: str, version: str, decision: GateDecision, forced: bool) -> None:
    """Tag the version with the decision and why, then make it the challenger, and the champion when
    promoted. A run that fails before this leaves its version registered with no alias and no decision."""
    client = MlflowClient()
    promoted = decision.promoted or forced
    outcome = "promoted" if decision.promoted else ("forced" if forced else "kept_champion")
    tags = {
        "gate.decision": outcome,
        "gate.reason": decision.reason
        + (" (promoted anyway: --force-promote)" if forced and not decision.promoted else ""),
        "gate.champion_version": decision.champion_version or "",
    }
    for name, value in (decision.champion_metrics or {}).items():
        tags[f"gate.champion_{name}"] = f"{value:.6g}"
    for key, value in tags.items():
        client.set_model_version_tag(registered_name, version, key, value)
    # Last: a failure above leaves both aliases as they were, never on a version without its decision.
    client.set_registered_model_alias(registered_name, CHALLENGER, version)
    if promoted:
        client.set_registered_model_alias(registered_name, CHAMPION, version)
