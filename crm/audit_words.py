"""Audit entries in the reader's words: actions, record kinds, field names and values.

The log stores codes (`update`, `tier: tech_based -> candidate`, ISO times) so it stays
language-free and searchable; pages label only the entries they show, one page at a time.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from importlib import import_module
from typing import Any

from flask import g
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.core import UnboundField

from crm.audit_records import RecordNames
from crm.labels import label_of
from crm.reference import all_of
from models import (
    AuditEntry,
    BatchState,
    CandidateState,
    Department,
    Designation,
    EnterpriseStatus,
    EventKind,
    IndustryTrack,
    InstrumentUnit,
    ItemState,
    ListingBoard,
    ListingStage,
    MoveOutReason,
    NominationDecision,
    PackageState,
    RedFlag,
    ReminderState,
    RequestCategory,
    RequestState,
    RequestUrgency,
    Role,
    SourceKind,
    SubDistrict,
    TargetMeasure,
    Tier,
    TrainingState,
    VisitKind,
    Zone,
)
from models.reference import ReferenceMixin

ACTIONS: dict[str, object] = {
    "create": _l("Record created"),
    "update": _l("Record changed"),
    "delete": _l("Record deleted"),
    "restore": _l("Record restored"),
    "import": _l("Spreadsheet imported"),
    "export": _l("List exported"),
    "seed": _l("Demo data loaded"),
    "run": _l("Job run requested"),
    "done": _l("Marked done"),
    "snooze": _l("Reminder snoozed"),
    "lock": _l("Account locked"),
    "unlock": _l("Account unlocked"),
    "end_sessions": _l("Logged out everywhere"),
    "revoke": _l("Token revoked"),
    "train": _l("Model training started"),
    "publish": _l("Model published"),
    "roll_back": _l("Model rolled back"),
    "dismiss": _l("Issue dismissed"),
    "decide": _l("Decision recorded"),
    "accept": _l("Request accepted"),
    "start": _l("Work started"),
    "resolve": _l("Answer submitted"),
    "close": _l("Closure confirmed"),
    "reopen": _l("Request reopened"),
    "transfer": _l("Request transferred"),
    "reject": _l("Request sent back"),
    "grant": _l("Support granted"),
    "disburse": _l("Support disbursed"),
    "review": _l("Support reviewed"),
    "move": _l("Stage recorded"),
    "submit": _l("Batch submitted to the bank"),
    "renew": _l("Renewal recorded"),
    "screen": _l("Screening recorded"),
    "admit": _l("Admitted to the reservoir"),
    "link": _l("Linked to a reservoir firm"),
    "assign": _l("Assigned to a sub-district"),
    "participant": _l("Participant added"),
    "participants": _l("Participants added"),
}
RECORDS: dict[str, object] = {
    "enterprise": _l("Firm"),
    "visit": _l("Visit"),
    "request": _l("Request"),
    "package": _l("Package"),
    "package_item": _l("Package item"),
    "user": _l("User account"),
    "target": _l("Target"),
    "reminder": _l("Reminder"),
    "api_token": _l("API token"),
    "model_version": _l("Model version"),
    "pipeline_override": _l("Leader's tier decision"),
    "follow_up": _l("Follow-up action"),
    "contact": _l("Contact"),
    "yearly_figures": _l("Yearly figures"),
    "import_issue": _l("Import issue"),
    "category_route": _l("Request routing"),
    "policy_instrument": _l("Instrument"),
    "job_request": _l("Job"),
    "reservoir": _l("Reservoir"),  # seeded as a whole, or exported
    "visits": _l("Visits"),  # exports name their list
    "requests": _l("Requests"),
    "packages": _l("Packages"),
    "pipeline": _l("Pipeline"),
    "sub_districts": _l("Sub-districts"),
    "zones": _l("Functional zones"),
    "tracks": _l("Industry tracks"),
    "departments": _l("Departments"),
    "dashboard": _l("Dashboard"),
    "listing_track": _l("Listing track"),
    "listing_blocker": _l("Listing blocker"),
    "partner_bank": _l("Partner bank"),
    "credit_product": _l("Credit product"),
    "nomination_batch": _l("Nomination batch"),
    "nomination": _l("Nomination"),
    "credit_drawdown": _l("Loan drawn"),
    "discovery_candidate": _l("Discovery candidate"),
    "discovery_event": _l("Competition or roadshow"),
}
# Each record's form names most fields; these are the ones no form shows.
FORMS: dict[str, tuple[str, ...]] = {
    "enterprise": ("crm.enterprises.forms:EnterpriseForm", "crm.visits.forms:ContactLeaderForm"),
    "yearly_figures": ("crm.enterprises.forms:FiguresForm",),
    "contact": ("crm.enterprises.forms:ContactForm",),
    "visit": ("crm.visits.forms:VisitForm",),
    "follow_up": ("crm.visits.forms:FollowUpForm",),
    "request": ("crm.requests.forms:RequestForm", "crm.requests.forms:StepForm"),
    "category_route": ("crm.requests.forms:RouteForm",),
    "package": ("crm.policies.forms:PackageForm", "crm.policies.forms:DecisionForm"),
    "package_item": (
        "crm.policies.forms:ItemForm",
        "crm.policies.forms:GrantForm",
        "crm.policies.forms:DisburseForm",
        "crm.policies.forms:ReviewForm",
    ),
    "policy_instrument": ("crm.policies.forms:InstrumentForm",),
    "user": ("crm.admin.forms:UserForm",),
    "target": ("crm.targets.forms:TargetForm",),
    "pipeline_override": ("crm.pipeline.forms:OverrideForm",),
    "listing_track": (
        "crm.listings.forms:TrackForm",
        "crm.listings.forms:EditTrackForm",
        "crm.listings.forms:AdvanceForm",
        "crm.listings.forms:HaltForm",
    ),
    "listing_blocker": ("crm.listings.forms:BlockerForm",),
    "partner_bank": ("crm.credit.forms:BankForm",),
    "credit_product": ("crm.credit.forms:ProductForm",),
    "nomination_batch": ("crm.credit.forms:BatchForm",),
    "nomination": (
        "crm.credit.forms:NominationForm",
        "crm.credit.forms:DecisionForm",
        "crm.credit.forms:RenewalForm",
    ),
    "credit_drawdown": ("crm.credit.forms:DrawdownForm",),
    "discovery_candidate": (
        "crm.discovery.forms:CandidateForm",
        "crm.discovery.forms:ScreeningForm",
        "crm.discovery.forms:DecisionForm",
    ),
    "discovery_event": ("crm.discovery.forms:EventForm",),
}
FIELDS: dict[str, object] = {
    "state": _l("State"),
    "deleted_at": _l("Deleted"),
    "department": _l("Department"),
    "enterprise_id": _l("Firm"),
    "visit_id": _l("Visit"),
    "owner_id": _l("Owner"),
    "contact_leader_id": _l("Contact leader"),
    "instrument_id": _l("Instrument"),
    "admitted_enterprise_id": _l("Firm"),
    "enterprise_ids": _l("Firms"),
    "discovery_candidate_id": _l("Discovery candidate"),
    "request_id": _l("Request"),
    "batch_id": _l("Batch"),
    "nomination_id": _l("Nomination"),
    "sub_district_id": _l("Sub-district"),
    "zone_id": _l("Functional zone"),
    "track_id": _l("Industry track"),
    "department_id": _l("Department"),
    "raised_on": _l("Raised on"),
    "red_flags": _l("Red flags"),
    "red_flags_asked": _l("Red flags asked about"),
    "risk_flagged_on": _l("Marked at risk on"),
    "is_active_account": _l("Active"),
    "locked_until": _l("Locked until"),
    "done_at": _l("Done on"),
    "snoozed_until": _l("Snoozed until"),
    "revoked_at": _l("Revoked"),
    "published_at": _l("Published"),
    "decision_comment": _l("Comment"),
    "api_tokens_revoked": _l("API tokens revoked"),
    "rows": _l("Rows"),
    "format": _l("Format"),
    "filters": _l("Filters"),
    "complete": _l("Downloaded to the end"),
    "job": _l("Job"),
    "name": _l("Name"),
    # what a demo load or an import counted
    "seed": _l("Random seed"),
    "as_of": _l("As of"),
    "firms": _l("Firms"),
    "yearly_figures": _l("Rows of yearly figures"),
    "contacts": _l("Contacts"),
    "demo_users": _l("Demo accounts"),
    "visits": _l("Visits"),
    "requests": _l("Requests"),
    "packages": _l("Packages"),
    "created": _l("Firms added"),
    "updated": _l("Firms updated"),
    "figure_rows": _l("Rows of figures"),
}
ENUMS: dict[str, type[StrEnum]] = {
    "tier": Tier,
    "tier_at_least": Tier,
    "status": EnterpriseStatus,
    "designations": Designation,
    "role": Role,
    "category": RequestCategory,
    "urgency": RequestUrgency,
    "kind": VisitKind,
    "measure": TargetMeasure,
    "unit": InstrumentUnit,
    "board": ListingBoard,
    "stage": ListingStage,
    "from_stage": ListingStage,
    "to_stage": ListingStage,
    "decision": NominationDecision,
    "source_kind": SourceKind,
    "admitted_tier": Tier,
}
# A field whose meaning depends on the record: a blocker's track is a listing track.
RECORD_FIELDS: dict[tuple[str, str], object] = {
    ("listing_blocker", "track_id"): _l("Listing track")
}
# A field whose enum depends on the record: an event's kind is not a visit's.
RECORD_ENUMS: dict[tuple[str, str], type[StrEnum]] = {("discovery_event", "kind"): EventKind}
STATES: dict[str, type[StrEnum]] = {
    "request": RequestState,
    "package": PackageState,
    "package_item": ItemState,
    "reminder": ReminderState,
    "model_version": TrainingState,
    "nomination_batch": BatchState,
    "discovery_candidate": CandidateState,
}
REFERENCES: dict[str, type[ReferenceMixin]] = {
    "sub_district": SubDistrict,
    "zone": Zone,
    "track": IndustryTrack,
    "department": Department,
}
VALUE_ONLY_ACTIONS = frozenset({"create", "import", "export", "seed"})
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ChangeLine:
    field: str
    before: str | None  # None: the line shows one value, not a change
    after: str


def action_words(action: str) -> str:
    return str(ACTIONS.get(action, action))


def record_words(entity_type: str) -> str:
    return str(RECORDS.get(entity_type, entity_type))


def record_names(entries: list[AuditEntry]) -> RecordNames:
    """The names of the records a page's entries point at: build it once per page."""
    return RecordNames(entries, _language(), current_user)


def change_lines(entry: AuditEntry, names: RecordNames) -> list[ChangeLine]:
    lines = []
    for field, change in (entry.changes or {}).items():
        name = field_words(entry.entity_type, field)
        if not (isinstance(change, list) and len(change) == 2):
            words = value_words(entry.entity_type, field, change, names)
            lines.append(ChangeLine(name, None, words))
            continue
        before, after = (value_words(entry.entity_type, field, value, names) for value in change)
        is_value = change[0] == change[1] or (
            change[0] in (None, 0) and entry.action in VALUE_ONLY_ACTIONS
        )
        lines.append(ChangeLine(name, None if is_value else before, after))
    return lines


def field_words(entity_type: str, field: str) -> str:
    text = (
        _form_labels(entity_type).get(field)
        or RECORD_FIELDS.get((entity_type, field))
        or FIELDS.get(field)
    )
    return field if text is None else str(text)


def value_words(entity_type: str, field: str, value: Any, names: RecordNames | None = None) -> str:
    """`names` (record_names of the page's entries) names the records that ids point at."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dict):  # an export's filters
        return "; ".join(f"{key}={item}" for key, item in value.items()) or "—"
    if isinstance(value, list):
        separator = "、" if _language().startswith("zh") else ", "
        items = (value_words(entity_type, field, item, names) for item in value)
        return separator.join(items) or "—"
    if names is not None and (record := names.words(entity_type, field, value)) is not None:
        return record
    if field == "red_flags":
        flag, _sep, reason = str(value).partition(":")
        words = label_of(RedFlag, flag)
        return f"{words} ({label_of(MoveOutReason, reason)})" if reason else words
    kind = (
        STATES.get(entity_type)
        if field == "state"
        else RECORD_ENUMS.get((entity_type, field), ENUMS.get(field))
    )
    if kind is not None:
        return label_of(kind, value)
    if (model := REFERENCES.get(field)) is not None:
        return _reference_names(model).get(str(value), str(value))
    return _plain_words(value)


def _plain_words(value: Any) -> str:
    text = str(value)
    if isinstance(value, str) and DATE_TIME.match(text):
        return format_datetime(datetime.fromisoformat(text), "medium")  # stored UTC, shown local
    if isinstance(value, str) and DATE.match(text):
        return format_date(date.fromisoformat(text), "medium")
    return text  # a number as written: a year is 2025, never 2,025


def _reference_names(model: type[ReferenceMixin]) -> dict[str, str]:
    """Slug -> name in the reader's language, read once per request (the tables are short)."""
    names: dict[tuple[type[ReferenceMixin], str], dict[str, str]] = g.setdefault(
        "reference_names", {}
    )
    key = (model, _language())
    if key not in names:
        names[key] = {row.slug: row.name_for(key[1]) for row in all_of(model)}
    return names[key]


@cache
def _form_labels(entity_type: str) -> dict[str, object]:
    """Field name -> the label its form shows, so the log speaks as the form did."""
    found: dict[str, object] = {}
    for path in FORMS.get(entity_type, ()):
        module, _sep, name = path.partition(":")
        form = getattr(import_module(module), name)
        for attribute in dir(form):
            unbound = getattr(form, attribute)
            if isinstance(unbound, UnboundField):
                text = unbound.args[0] if unbound.args else unbound.kwargs.get("label")
                if text is not None:
                    found.setdefault(attribute, text)
    if entity_type == "user":  # the form's switch is is_active; the model's column differs
        found.setdefault("is_active_account", found.get("is_active"))
    if entity_type == "enterprise":
        found.setdefault("contact_leader_id", found.get("leader"))
    return found


def _language() -> str:
    return str(get_locale() or "en")
