"""factory_boy factories, one per model; they flush, the test decides about commits."""

from datetime import date, datetime
from decimal import Decimal
from functools import cache

import factory
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from crm.enterprises.uscc import build_uscc
from models import (
    AuditEntry,
    Contact,
    Department,
    Designation,
    Enterprise,
    EnterpriseDesignation,
    EnterpriseRequest,
    FollowUpAction,
    FundingEvent,
    ImportIssue,
    ImportIssueKind,
    ImportJob,
    ImportJobState,
    IndustryTrack,
    JobRequest,
    JobRun,
    JobRunState,
    ModelVersion,
    PackageItem,
    PolicyInstrument,
    PolicyPackage,
    PotentialScore,
    Reminder,
    RequestCategory,
    Role,
    SchedulerStatus,
    ScoringRun,
    SubDistrict,
    Target,
    TargetMeasure,
    TrainingState,
    User,
    Visit,
    VisitKind,
    YearlyFigures,
    Zone,
    db,
)

PASSWORD = "correct horse battery"


def reference(model: type, slug: str) -> object:
    return db.session.scalar(select(model).where(model.slug == slug))


class BaseFactory(factory.alchemy.SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 -- factory_boy's hook
        sqlalchemy_session_persistence = "flush"


class UserFactory(BaseFactory):
    class Meta:
        model = User
        exclude = ("sub_district_slug", "department_slug")

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.LazyAttribute(lambda u: u.username.title())
    role = Role.MANAGER
    sub_district_slug = "daninglu"
    department_slug = "stec"
    sub_district = factory.LazyAttribute(
        lambda u: reference(SubDistrict, u.sub_district_slug) if u.role == "manager" else None
    )
    department = factory.LazyAttribute(
        lambda u: reference(Department, u.department_slug) if u.role == "department" else None
    )
    password_hash = factory.LazyFunction(lambda: _hash(PASSWORD))
    created_at = datetime(2026, 1, 5, 9, 0)


ONE_ROUND = "pbkdf2:sha256:1"


@cache
def _hash(password: str) -> str:
    # The app's scrypt makes every check of a password cost 0.1 s on purpose, and tests log in
    # hundreds of times to check access, not hashing: their users get a one-round hash, which
    # check_password reads all the same. Hashing itself is tested through User.set_password.
    return generate_password_hash(password, ONE_ROUND)


def valid_uscc(n: int) -> str:
    return build_uscc("91", "310106", f"MA{n:06d}")


class EnterpriseFactory(BaseFactory):
    class Meta:
        model = Enterprise
        exclude = ("sub_district_slug",)

    name = factory.Sequence(lambda n: f"上海测试{n}科技有限公司")
    uscc = factory.Sequence(valid_uscc)
    sub_district_slug = "daninglu"
    sub_district = factory.LazyAttribute(lambda e: reference(SubDistrict, e.sub_district_slug))
    zone = factory.LazyFunction(lambda: reference(Zone, "daning"))
    track = factory.LazyFunction(lambda: reference(IndustryTrack, "ai"))
    founded_on = date(2018, 3, 1)
    registered_capital = Decimal("1000.00")
    created_at = updated_at = datetime(2026, 1, 5, 9, 0)


class YearlyFiguresFactory(BaseFactory):
    class Meta:
        model = YearlyFigures

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2025
    revenue = Decimal("5000.00")
    employees = 80


class ContactFactory(BaseFactory):
    class Meta:
        model = Contact

    enterprise = factory.SubFactory(EnterpriseFactory)
    name = "张伟"
    title = "总经理"
    phone = "13812345678"
    email = "zhang.wei@example.com"


class VisitFactory(BaseFactory):
    class Meta:
        model = Visit

    enterprise = factory.SubFactory(EnterpriseFactory)
    visited_on = date(2026, 3, 2)
    kind = VisitKind.ON_SITE
    summary = "走访"
    created_by = factory.SubFactory(UserFactory)
    created_at = updated_at = datetime(2026, 3, 2, 10, 0)


class FollowUpActionFactory(BaseFactory):
    class Meta:
        model = FollowUpAction

    visit = factory.SubFactory(VisitFactory)
    description = "提交人才落户材料"
    owner = factory.SubFactory(UserFactory)
    due_on = date(2026, 3, 16)


class EnterpriseRequestFactory(BaseFactory):
    class Meta:
        model = EnterpriseRequest
        exclude = ("department_slug",)

    enterprise = factory.SubFactory(EnterpriseFactory)
    category = RequestCategory.FINANCING
    description = "需要五百万元流动资金贷款"
    department_slug = "finance"
    department = factory.LazyAttribute(lambda r: reference(Department, r.department_slug))
    raised_on = date(2026, 3, 2)
    due_on = date(2026, 3, 12)
    created_by = factory.SubFactory(UserFactory, role="manager")
    created_at = updated_at = datetime(2026, 3, 2, 9, 0)


class EnterpriseDesignationFactory(BaseFactory):
    class Meta:
        model = EnterpriseDesignation
        exclude = ("enterprise",)

    enterprise = factory.SubFactory(EnterpriseFactory)  # the row has only the key, no relationship
    enterprise_id = factory.SelfAttribute("enterprise.id")
    designation = Designation.GAZELLE


class FundingEventFactory(BaseFactory):
    class Meta:
        model = FundingEvent
        exclude = ("enterprise",)

    enterprise = factory.SubFactory(EnterpriseFactory)
    enterprise_id = factory.SelfAttribute("enterprise.id")
    closed_on = date(2024, 6, 1)
    amount = Decimal("3000")  # 10,000 yuan
    stage = "a"


class ReminderFactory(BaseFactory):
    class Meta:
        model = Reminder

    rule = "visit_due"
    record_kind = "enterprise"
    enterprise = factory.SubFactory(EnterpriseFactory)
    record_id = factory.SelfAttribute("enterprise.id")
    due_on = date(2026, 3, 2)
    recipient = factory.SubFactory(UserFactory)
    created_at = datetime(2026, 3, 2, 9, 0)


class PolicyPackageFactory(BaseFactory):
    class Meta:
        model = PolicyPackage

    enterprise = factory.SubFactory(EnterpriseFactory)
    title = "培育支持"
    proposed_by = factory.SubFactory(UserFactory)
    proposed_at = updated_at = datetime(2026, 3, 2, 9, 0)


class PackageItemFactory(BaseFactory):
    class Meta:
        model = PackageItem

    package = factory.SubFactory(PolicyPackageFactory)
    instrument = factory.LazyFunction(lambda: reference(PolicyInstrument, "loan_interest_subsidy"))
    amount = Decimal("500000")


class TargetFactory(BaseFactory):
    class Meta:
        model = Target

    key = factory.Sequence(lambda n: f"target{n}")
    title_zh = "潜力企业数"
    title_en = "Potential firms"
    goal = 10
    deadline = date(2026, 12, 31)
    measure = TargetMeasure.FIRMS
    designations = factory.LazyFunction(list)
    created_at = updated_at = datetime(2026, 1, 5, 9, 0)


class AuditEntryFactory(BaseFactory):
    class Meta:
        model = AuditEntry

    at = datetime(2026, 3, 2, 11, 0)
    action = "update"
    entity_type = "enterprise"
    entity_id = 7
    changes = factory.LazyFunction(lambda: {"name": ["旧名", "新名"]})


class ImportIssueFactory(BaseFactory):
    class Meta:
        model = ImportIssue

    kind = ImportIssueKind.INVALID_USCC
    uscc = factory.Sequence(lambda n: f"91310000XXXX{n:06d}")  # unique per kind and file
    file_name = "firms.xlsx"
    line = 3
    found_at = datetime(2026, 3, 2, 9, 0)


class ImportJobFactory(BaseFactory):
    class Meta:
        model = ImportJob

    owner = factory.SubFactory(UserFactory)
    file_name = "企业名单.csv"
    stored_name = factory.Sequence(lambda n: f"{n}-firms.csv")
    locale = "zh_CN"
    state = ImportJobState.QUEUED
    created_at = datetime(2026, 3, 2, 9, 0)


class ModelVersionFactory(BaseFactory):
    class Meta:
        model = ModelVersion

    state = TrainingState.READY
    started_at = datetime(2026, 3, 2, 9, 0)


class ScoringRunFactory(BaseFactory):
    class Meta:
        model = ScoringRun

    scorer = "index"
    as_of = date(2026, 6, 1)
    scored_at = datetime(2026, 6, 1, 3, 0)


class PotentialScoreFactory(BaseFactory):
    class Meta:
        model = PotentialScore

    run = factory.SubFactory(ScoringRunFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    score = 0.5
    percentile = factory.SelfAttribute("score")
    rank = 1


class JobRunFactory(BaseFactory):
    class Meta:
        model = JobRun

    job_key = "reminder_scan"
    trigger = "schedule"
    runner = "host:42"
    started_at = datetime(2026, 11, 30, 1, 30)
    state = JobRunState.RUNNING


class JobRequestFactory(BaseFactory):
    class Meta:
        model = JobRequest

    job_key = "reminder_scan"
    requested_by = factory.SubFactory(UserFactory, role=Role.ADMIN)
    requested_at = datetime(2026, 11, 30, 1, 30)


class SchedulerStatusFactory(BaseFactory):
    class Meta:
        model = SchedulerStatus

    id = 1  # the one row
    runner = "host:42"
    started_at = datetime(2026, 11, 30, 1, 30)
    beat_at = factory.SelfAttribute("started_at")
