"""JSON API over the white lists: /api/v1/credit."""

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
from crm.credit import banks, decisions, queries, services
from crm.credit.schemas import (
    CreditBank,
    CreditBankList,
    CreditBatch,
    CreditBatchDetail,
    CreditDecisionBody,
    CreditDrawdownAnswer,
    CreditNomination,
    DrawdownBody,
    NominationBody,
    RepaymentBody,
)
from crm.credit.scoping import can_act_on_firm, can_manage, can_nominate, can_read_credit
from crm.errors import ForbiddenError
from models import BatchState

bp = Blueprint("credit_api", __name__, url_prefix="/api/v1/credit")
NOMINATIONS_SHOWN = 500  # a batch's nominations in one answer: banks take a few dozen
NO_BATCH = error("No such batch, or the caller has no part in the white lists")
NO_NOMINATION = error("No such nomination, or outside the caller's scope")


def _reader() -> None:
    if not can_read_credit(api_user()):
        raise ForbiddenError(_("Your role has no part in the credit white lists."))


@documented(
    "get",
    "/credit/banks",
    "Partner banks with their products and nomination formats",
    {200: ("The banks", CreditBankList), 403: error("No part in credit")},
)
@bp.get("/banks")
@token_required
def list_banks() -> Any:
    _reader()
    items = [CreditBank.of(bank) for bank in banks.banks_with_products()]
    return CreditBankList(items=items).model_dump(mode="json")


@documented(
    "get",
    "/credit/batches",
    "Nomination batches, newest first",
    {
        200: page_of("One page of batches", CreditBatch),
        403: error("No part in credit"),
        422: OUT_OF_RANGE,
    },
    parameters=(query_param("state", "string", "draft, submitted or decided"), *CURSOR_PARAMS),
)
@bp.get("/batches")
@token_required
def list_batches() -> Any:
    _reader()
    args = QueryArgs()
    paging = args.paging()
    state = args.choice("state", BatchState)
    args.raise_if_invalid()
    query = queries.batch_query(api_user(), state or None)
    return keyset_answer(
        queries.batch_page, query, paging, lambda row: CreditBatch.of(row).answer_json()
    )


@documented(
    "get",
    "/credit/batches/{batch_id}",
    "One batch with the nominations the caller may read",
    {200: ("The batch", CreditBatchDetail), 404: NO_BATCH},
    description="The first 500 nominations by id; `nominations_next` pages on through "
    "GET /credit/batches/{batch_id}/nominations.",
)
@bp.get("/batches/<int:batch_id>")
@token_required
def get_batch(batch_id: int) -> Any:
    batch = services.get_batch(api_user(), batch_id)
    query = queries.nomination_query(api_user(), batch.id)
    rows = queries.nomination_page(query, NOMINATIONS_SHOWN)
    detail = CreditBatchDetail.of(
        batch,
        nominations=[CreditNomination.of(row) for row in rows.rows],
        nominations_next=rows.next_cursor,
    )
    return detail.answer_json()


@documented(
    "get",
    "/credit/batches/{batch_id}/nominations",
    "The batch's nominations the caller may read, by id",
    {
        200: page_of("One page of nominations", CreditNomination),
        404: NO_BATCH,
        422: field_errors("A query parameter is out of range, or a cursor is not the API's"),
    },
    parameters=tuple(CURSOR_PARAMS),
)
@bp.get("/batches/<int:batch_id>/nominations")
@token_required
def list_nominations(batch_id: int) -> Any:
    batch = services.get_batch(api_user(), batch_id)
    args = QueryArgs()
    paging = args.paging()
    args.raise_if_invalid()
    query = queries.nomination_query(api_user(), batch.id)
    return keyset_answer(
        queries.nomination_page, query, paging, lambda row: CreditNomination.of(row).answer_json()
    )


@documented(
    "post",
    "/credit/batches/{batch_id}/nominations",
    "Nominate a firm of the caller's scope into a draft batch",
    {
        201: created("Nominated", CreditNomination),
        403: error("The caller's role cannot nominate"),
        404: error("No such batch or firm, or outside the caller's scope"),
        409: error("The batch was submitted, or changed since its version_id was read"),
    },
    body=NominationBody,
)
@bp.post("/batches/<int:batch_id>/nominations")
@token_required
def nominate(batch_id: int) -> Any:
    batch = services.get_batch(api_user(), batch_id)
    if not can_nominate(api_user()):
        raise ForbiddenError(_("Your role cannot nominate firms."))
    body = NominationBody.from_request()
    with committed("state"):
        nomination = services.nominate(api_user(), batch, body.input(), body.version_id, utcnow())
    location = {"Location": f"{bp.url_prefix}/batches/{batch.id}"}
    return CreditNomination.of(nomination).answer_json(), 201, location


@documented(
    "post",
    "/credit/nominations/{nomination_id}/decision",
    "Record the bank's decision on a nominated firm (leaders and administrators)",
    {
        200: ("The decided nomination", CreditNomination),
        403: error("Only leaders and administrators record decisions"),
        404: NO_NOMINATION,
        409: error("The batch is a draft, loans were drawn, or changed since it was read"),
        422: field_errors("A refusal without a reason, a listing without quota, rate or term"),
    },
    body=CreditDecisionBody,
)
@bp.post("/nominations/<int:nomination_id>/decision")
@token_required
def record_decision(nomination_id: int) -> Any:
    nomination = services.get_nomination(api_user(), nomination_id)
    if not can_manage(api_user()):
        raise ForbiddenError(_("Only leaders and administrators record the bank's decisions."))
    body = CreditDecisionBody.from_request()
    with committed("state"):
        decisions.record_decision(api_user(), nomination, body.input(), body.version_id, utcnow())
    return CreditNomination.of(nomination).answer_json()


@documented(
    "post",
    "/credit/nominations/{nomination_id}/drawdowns",
    "Record a loan drawn against a listed firm's quota",
    {
        201: created("Recorded", CreditDrawdownAnswer),
        403: error("Not the firm's manager, a leader or an administrator"),
        404: NO_NOMINATION,
        409: error("The firm is not listed, or another loan was recorded at the same moment"),
        422: field_errors("An amount over what is left of the quota, or a bad date"),
    },
    body=DrawdownBody,
)
@bp.post("/nominations/<int:nomination_id>/drawdowns")
@token_required
def record_drawdown(nomination_id: int) -> Any:
    nomination = services.get_nomination(api_user(), nomination_id)
    if not can_act_on_firm(api_user(), nomination):
        raise ForbiddenError(_("Your role cannot record loans for this firm."))
    body = DrawdownBody.from_request()
    with committed("state"):
        drawdown = decisions.record_drawdown(api_user(), nomination, body.input(), utcnow())
    location = {"Location": f"{bp.url_prefix}/batches/{nomination.batch_id}"}
    return CreditDrawdownAnswer.of(drawdown).answer_json(), 201, location


@documented(
    "get",
    "/credit/nominations/{nomination_id}/drawdowns",
    "The loans drawn against a nomination, earliest first",
    {
        200: page_of("One page of loans", CreditDrawdownAnswer),
        404: NO_NOMINATION,
        422: field_errors("A query parameter is out of range, or a cursor is not the API's"),
    },
    parameters=tuple(CURSOR_PARAMS),
)
@bp.get("/nominations/<int:nomination_id>/drawdowns")
@token_required
def list_drawdowns(nomination_id: int) -> Any:
    nomination = services.get_nomination(api_user(), nomination_id)
    args = QueryArgs()
    paging = args.paging()
    args.raise_if_invalid()
    query = queries.drawdown_query(nomination.id)
    return keyset_answer(
        queries.drawdown_page, query, paging, lambda row: CreditDrawdownAnswer.of(row).answer_json()
    )


@documented(
    "post",
    "/credit/drawdowns/{drawdown_id}/repayment",
    "Record the day a loan was repaid (or correct it)",
    {
        200: ("The loan", CreditDrawdownAnswer),
        403: error("Not the firm's manager, a leader or an administrator"),
        404: error("No such loan, or its nomination is withdrawn or outside the caller's scope"),
        409: error("The nomination changed since its version_id was read"),
        422: field_errors("A repayment in the future or before the loan was drawn"),
    },
    body=RepaymentBody,
    description="`version_id` is the nomination's (a loan has none of its own); the answer's "
    "`nomination_version_id` is its new one.",
)
@bp.post("/drawdowns/<int:drawdown_id>/repayment")
@token_required
def record_repayment(drawdown_id: int) -> Any:
    drawdown = decisions.get_drawdown(api_user(), drawdown_id)
    if not can_act_on_firm(api_user(), drawdown.nomination):
        raise ForbiddenError(_("Your role cannot record loans for this firm."))
    body = RepaymentBody.from_request()
    with committed("state"):
        decisions.record_repayment(api_user(), drawdown, body.repaid_on, body.version_id, utcnow())
    return CreditDrawdownAnswer.of(drawdown).answer_json()
