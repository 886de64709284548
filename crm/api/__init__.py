"""The JSON API's entry points: tokens and the OpenAPI document (domains add their own routes)."""

from typing import Any

from flask import Blueprint, jsonify
from flask_babel import gettext as _

from crm.api.auth import issue_token
from crm.api.body import json_object
from crm.api.openapi import openapi_document
from crm.auth.services import authenticate
from models import db

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.post("/auth/token")
def create_token() -> tuple[Any, int]:
    body = json_object()
    errors = {
        name: [_("This field is required.")]
        for name in ("username", "password")
        if not isinstance(body.get(name), str) or not body[name]
    }
    if errors:
        return jsonify(errors=errors), 422
    user = authenticate(body["username"], body["password"])
    if user is None:
        return jsonify(error=_("Unknown username or wrong password.")), 401
    db.session.commit()
    return jsonify(token=issue_token(user), token_type="Bearer"), 200  # noqa: S106 -- a scheme name


@bp.get("/openapi.json")
def openapi() -> Any:
    return jsonify(openapi_document())
