"""JSON API over packages: /api/v1/packages."""

from typing import Any

from flask import Blueprint
from flask_babel import gettext as _

from crm.api.auth import api_user, token_required
from crm.api.body import committed
from crm.api.cursors import CURSOR_PARAMS, keyset_answer
from crm.api.paging import QueryArgs
from crm.api.registry import created, documented, page_of
from crm.api.spec import OUT_OF_RANGE, error, field_errors, query_param
from crm.clock import utcnow
from crm.errors import ForbiddenError
from crm.policies import queries, services
from crm.policies.schemas import Package, PackageBody, PackageDecision
from models import PackageState, db

bp = Blueprint("policies_api", __name__, url_prefix="/api/v1/packages")


NOT_FOUND = error("No such package, or outside the caller's scope")


@documented(
    "get",
    "/packages",
    "Policy packages in the caller's scope, newest first",
    {200: page_of("One page of packages, newest first", Package), 422: OUT_OF_RANGE},
    parameters=(
        query_param("enterprise_id", "integer", "Only this firm's packages"),
        query_param("state", "string", "proposed, approved or rejected"),
        *CURSOR_PARAMS,
    ),
)
@bp.get("")
@token_required
def list_packages() -> Any:
    args = QueryArgs()
    paging = args.paging()
    enterprise_id = args.whole_number("enterprise_id")
    state = args.choice("state", PackageState)
    args.raise_if_invalid()
    query = queries.package_query(api_user(), enterprise_id or None, state or None)
    return keyset_answer(queries.page_of, query, paging, lambda row: Package.of(row).answer_json())


@documented(
    "get",
    "/packages/{package_id}",
    "One package with its items and their progress",
    {200: ("The package", Package), 404: NOT_FOUND},
)
@bp.get("/<int:package_id>")
@token_required
def get_package(package_id: int) -> Any:
    return Package.of(services.get_package(api_user(), package_id)).answer_json()


@documented(
    "post",
    "/packages",
    "Propose a package of catalogue items for a firm",
    {
        201: created("Proposed", Package),
        403: error("The caller's role cannot propose packages"),
        404: error("No such firm, or outside the caller's scope"),
    },
    body=PackageBody,
    description=(
        "Errors name items by their zero-based place, e.g. `items[1].amount`; an amount that "
        "would take the firm over an instrument's ceiling (over its proposed and approved "
        "packages) is refused there."
    ),
)
@bp.post("")
@token_required
def propose_package() -> Any:
    if not services.can_propose(api_user()):
        raise ForbiddenError(_("Your role cannot propose policy packages."))
    body = PackageBody.from_request()
    enterprise = services.proposable_enterprise(api_user(), body.enterprise_id)
    package = services.propose_package(api_user(), enterprise, body.input(), utcnow())
    db.session.commit()
    return Package.of(package).answer_json(), 201, {"Location": f"{bp.url_prefix}/{package.id}"}


@documented(
    "post",
    "/packages/{package_id}/decision",
    "Approve or reject a proposed package (district leaders)",
    {
        200: ("The decided package", Package),
        403: error("Only district leaders decide"),
        404: NOT_FOUND,
        409: error("Already decided, or changed since it was read"),
        422: field_errors("An invalid decision, or a rejection without a comment"),
    },
    body=PackageDecision,
)
@bp.post("/<int:package_id>/decision")
@token_required
def decide_package(package_id: int) -> Any:
    package = services.get_package(api_user(), package_id)
    if not services.can_decide(api_user()):
        raise ForbiddenError(_("Only a district leader can decide on a package."))
    body = PackageDecision.from_request()
    with committed("state"):
        services.decide_package(
            api_user(), package, body.decision, body.comment, body.version_id, utcnow()
        )
    return Package.of(package).answer_json()
