"""Fitting, calibration, evaluation, explanation (SHAP by survey reason) and the MLflow registry.

Arrives with issues 3/7 and 4/7; nothing here yet.
"""
