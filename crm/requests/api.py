"""Placeholder: being written."""

from flask import Blueprint

bp = Blueprint("requests_api", __name__, url_prefix="/api/v1/requests")
