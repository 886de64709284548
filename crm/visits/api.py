"""Placeholder: being written."""

from flask import Blueprint

bp = Blueprint("visits_api", __name__, url_prefix="/api/v1/visits")
