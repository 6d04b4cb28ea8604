"""Fitting, calibration, evaluation, explanation (SHAP by survey reason) and the MLflow registry."""
