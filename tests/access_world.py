"""The small world the access matrix asks about: users of every role and scope, and one firm of
sub-district A (daninglu) with a visit, a follow-up, a reminder, a request routed to department X
(finance) and a package holding an instrument X delivers. B is jingansi, Y is stec."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from crm.auth import tokens
from crm.clock import utcnow
from crm.discovery import events as discovery_events
from crm.discovery import services as discovery_services
from crm.pipeline import overrides
from crm.policies import services as policy_services
from crm.visits import services as visit_services
from models import (
    Enterprise,
    EnterpriseRequest,
    FollowUpAction,
    ImportIssue,
    RedFlag,
    Reminder,
    RequestCategory,
    Target,
    TrainingState,
    User,
    Visit,
    VisitKind,
    db,
)
from models.reference import IndustryTrack
from tests import factories
from tests.credit.world import credit_ids
from tests.helpers import instrument
from tests.listings.world import listing_ids
from tests.visits.helpers import logged, on_site

TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 9, 0)


@dataclass
class World:
    """Ids of the records the URLs are filled from, and makers of records a POST may consume."""

    users: dict[str, User]
    firm: int
    visit: int
    follow_up: int
    reminder: int
    request: int
    package: int
    item: int
    instrument: int
    target: int
    track: int
    import_issue: int
    version: int

    @property
    def manager_id(self) -> int:
        return self.users["manager"].id

    def new_firm(self) -> int:
        return factories.EnterpriseFactory(manager=self.users["manager"]).id

    def new_visit(self) -> int:
        return _visit(self.users["manager"], self.firm).id

    def new_flagged_visit(self) -> int:
        firm = db.session.get(factories.Enterprise, self.firm)
        return logged(self.users["manager"], firm, on_site(TODAY, RedFlag.MOVE_OUT)).id

    def new_follow_up(self) -> int:
        return _follow_up(self.visit, self.users["manager"]).id

    def new_reminder(self) -> int:
        return _reminder(self.users["manager"], self.firm).id

    def new_request(self) -> int:
        return _request(self.firm, self.users["manager"]).id

    def new_package(self) -> int:
        return _package(self.users["manager"], self.new_firm()).id  # under the firm's ceiling

    def new_issue(self) -> int:
        return _import_issue().id

    def new_deleted_firm(self) -> int:
        return factories.EnterpriseFactory(deleted_at=NOW).id

    def new_target(self) -> int:
        return _target(deleted_at=None).id

    def new_archived_target(self) -> int:
        return _target(deleted_at=NOW).id

    def new_overridden_firm(self) -> int:
        firm = factories.EnterpriseFactory(manager=self.users["manager"])
        watch = overrides.OverrideInput(tier="", watch=True, reason="Watch its funding round")
        overrides.set_override(self.users["leader"], firm, watch, None, NOW)
        return firm.id

    def new_discovery_candidate(self) -> int:
        """A leader's candidate for sub-district A: its manager screens it, B's does not."""
        data = discovery_services.CandidateInput(
            name="上海矩阵发现科技有限公司",
            track="ai",
            source_kind="own_search",
            sub_district="daninglu",
        )
        return discovery_services.propose_candidate(self.users["leader"], data, NOW).id

    def new_discovery_event(self) -> int:
        data = discovery_events.EventInput(kind="roadshow", name="张江路演", held_on=TODAY)
        return discovery_events.save_event(self.users["leader"], None, data, NOW).id

    @property
    def credit_bank(self) -> int:
        return credit_ids(self)["bank"]

    @property
    def credit_product(self) -> int:
        return credit_ids(self)["product"]

    @property
    def credit_batch(self) -> int:
        return credit_ids(self)["batch"]

    @property
    def credit_nomination(self) -> int:
        return credit_ids(self)["nomination"]

    @property
    def credit_drawdown(self) -> int:
        return credit_ids(self)["drawdown"]

    @property
    def listing_track(self) -> int:
        return listing_ids(self)["track"]

    @property
    def listing_blocker(self) -> int:
        return listing_ids(self)["blocker"]

    def new_token(self) -> int:
        """A token of the manager: revoking it must not end the manager's own session."""
        token, _secret = tokens.issue_token(self.users["manager"], "matrix", utcnow(), 3600)
        return token.id


def _visit(author: User, firm_id: int) -> object:
    data = visit_services.VisitInput(
        visited_on=TODAY, kind=VisitKind.PHONE.value, summary="Called the CFO."
    )
    firm = db.session.get(factories.Enterprise, firm_id)
    return visit_services.log_visit(author, firm, data, NOW, confirm_duplicate=True)


def _follow_up(visit_id: int, owner: User) -> FollowUpAction:
    visit = db.session.get(Visit, visit_id)
    return factories.FollowUpActionFactory(
        visit=visit, description="Send the talent forms", owner=owner, due_on=TODAY
    )


def _reminder(recipient: User, firm_id: int) -> Reminder:
    earlier = db.session.scalar(select(func.count(Reminder.id))) or 0
    return factories.ReminderFactory(
        rule="visit_due",
        enterprise=db.session.get(Enterprise, firm_id),
        due_on=TODAY - timedelta(days=earlier),  # one reminder a day per rule and record
        recipient=recipient,
        created_at=NOW,
    )


def _request(firm_id: int, author: User) -> EnterpriseRequest:
    return factories.EnterpriseRequestFactory(
        enterprise=db.session.get(Enterprise, firm_id),
        category=RequestCategory.FINANCING,
        description="A working-capital loan",
        department_slug="finance",
        raised_on=TODAY,
        due_on=TODAY + timedelta(days=10),
        created_by=author,
        created_at=NOW,
        updated_at=NOW,
    )


def _package(author: User, firm_id: int) -> object:
    firm = db.session.get(factories.Enterprise, firm_id)
    item = policy_services.ItemInput(
        instrument_id=instrument("loan_interest_subsidy").id,
        amount=Decimal("500000"),
        disburse_by=TODAY + timedelta(days=30),
    )
    data = policy_services.PackageInput(title="Growth support", rationale="Fast", items=[item])
    return policy_services.propose_package(author, firm, data, NOW)


def _target(deleted_at: datetime | None) -> Target:
    model = db.session.scalar(select(Target).order_by(Target.id).limit(1))
    assert model is not None, "the reference data holds the district's targets"
    copied = {
        column.key: getattr(model, column.key)
        for column in Target.__table__.columns
        if column.key not in {"id", "key", "deleted_at", "version_id"}
    }
    count = db.session.scalar(select(func.count(Target.id)))
    return factories.TargetFactory(**copied, key=f"matrix{count}", deleted_at=deleted_at)


def _import_issue() -> ImportIssue:
    return factories.ImportIssueFactory(found_at=NOW)  # each of its own USCC: one per key


def build_world() -> World:
    users = {
        "admin": factories.UserFactory(username="admin", role="admin"),
        "leader": factories.UserFactory(username="leader", role="leader"),
        "manager": factories.UserFactory(username="manager"),
        "other_manager": factories.UserFactory(username="other", sub_district_slug="jingansi"),
        "staff": factories.UserFactory(
            username="staff", role="department", department_slug="finance"
        ),
        "other_staff": factories.UserFactory(
            username="otherstaff", role="department", department_slug="stec"
        ),
    }
    firm = factories.EnterpriseFactory(manager=users["manager"])
    factories.YearlyFiguresFactory(enterprise=firm)
    factories.ContactFactory(enterprise=firm)
    factories.EnterpriseFactory(sub_district_slug="jingansi")  # a firm only B's manager sees
    visit = _visit(users["manager"], firm.id)
    package = _package(users["manager"], firm.id)
    # A training in progress: "train" answers busy, starts no thread.
    training = factories.ModelVersionFactory(state=TrainingState.RUNNING, started_at=utcnow())
    world = World(
        users=users,
        firm=firm.id,
        visit=visit.id,
        follow_up=_follow_up(visit.id, users["manager"]).id,
        reminder=_reminder(users["manager"], firm.id).id,
        request=_request(firm.id, users["manager"]).id,
        package=package.id,
        item=package.items[0].id,
        instrument=instrument("loan_interest_subsidy").id,
        target=_target(deleted_at=None).id,
        track=factories.reference(IndustryTrack, "ai").id,
        import_issue=_import_issue().id,
        version=training.id,
    )
    db.session.commit()
    return world
