"""Placeholder: being written."""

from flask import Blueprint

bp = Blueprint("policies", __name__, url_prefix="/packages")
