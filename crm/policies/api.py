"""Placeholder: being written."""

from flask import Blueprint

bp = Blueprint("policies_api", __name__, url_prefix="/api/v1/packages")
