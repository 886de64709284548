"""Typed SQLAlchemy models, one module per concept."""

from models.api_token import ApiToken
from models.audit import AuditEntry
from models.base import Base, Model, db
from models.contact import Contact
from models.credit import (
    BatchState,
    CreditDrawdown,
    CreditProduct,
    Nomination,
    NominationBatch,
    NominationDecision,
    PartnerBank,
)
from models.dashboard_snapshot import DashboardSnapshot
from models.discovery import (
    CandidateState,
    DiscoveryCandidate,
    DiscoveryEvent,
    EventKind,
    EventParticipant,
    SourceKind,
)
from models.enterprise import (
    Designation,
    Enterprise,
    EnterpriseDesignation,
    EnterpriseStatus,
    Tier,
)
from models.enterprise_request import (
    CategoryRoute,
    EnterpriseRequest,
    RequestCategory,
    RequestEvent,
    RequestState,
    RequestUrgency,
)
from models.funding import FundingEvent
from models.import_issue import ImportIssue, ImportIssueKind
from models.import_job import ImportJob, ImportJobState
from models.listing import (
    ListingBlocker,
    ListingBoard,
    ListingStage,
    ListingStep,
    ListingTrack,
)
from models.login_failure import LoginFailure
from models.policy import (
    InstrumentUnit,
    ItemState,
    PackageItem,
    PackageState,
    PolicyInstrument,
    PolicyPackage,
)
from models.reference import Department, IndustryTrack, SubDistrict, Zone
from models.reminder import Reminder, ReminderState
from models.scheduling import JobRequest, JobRun, JobRunState, SchedulerStatus
from models.scoring import (
    INDEX_KIND,
    ModelVersion,
    PipelineOverride,
    PotentialScore,
    ScoringRun,
    TrainingState,
)
from models.target import Target, TargetMeasure
from models.user import Role, User
from models.visit import FollowUpAction, MoveOutReason, RedFlag, Visit, VisitKind, VisitRedFlag
from models.yearly_figures import YearlyFigures

__all__ = [
    "INDEX_KIND",
    "ApiToken",
    "AuditEntry",
    "Base",
    "BatchState",
    "CandidateState",
    "CategoryRoute",
    "Contact",
    "CreditDrawdown",
    "CreditProduct",
    "DashboardSnapshot",
    "Department",
    "Designation",
    "DiscoveryCandidate",
    "DiscoveryEvent",
    "Enterprise",
    "EnterpriseDesignation",
    "EnterpriseRequest",
    "EnterpriseStatus",
    "EventKind",
    "EventParticipant",
    "FollowUpAction",
    "FundingEvent",
    "ImportIssue",
    "ImportIssueKind",
    "ImportJob",
    "ImportJobState",
    "IndustryTrack",
    "InstrumentUnit",
    "ItemState",
    "JobRequest",
    "JobRun",
    "JobRunState",
    "ListingBlocker",
    "ListingBoard",
    "ListingStage",
    "ListingStep",
    "ListingTrack",
    "LoginFailure",
    "Model",
    "ModelVersion",
    "MoveOutReason",
    "Nomination",
    "NominationBatch",
    "NominationDecision",
    "PackageItem",
    "PackageState",
    "PartnerBank",
    "PipelineOverride",
    "PolicyInstrument",
    "PolicyPackage",
    "PotentialScore",
    "RedFlag",
    "Reminder",
    "ReminderState",
    "RequestCategory",
    "RequestEvent",
    "RequestState",
    "RequestUrgency",
    "Role",
    "SchedulerStatus",
    "ScoringRun",
    "SourceKind",
    "SubDistrict",
    "Target",
    "TargetMeasure",
    "Tier",
    "TrainingState",
    "User",
    "Visit",
    "VisitKind",
    "VisitRedFlag",
    "YearlyFigures",
    "Zone",
    "db",
]
