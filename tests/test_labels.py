"""Every state of every workflow has its own label, in Chinese and in English."""

import importlib
import pkgutil
from datetime import timedelta
from enum import StrEnum

import pytest
from flask_babel import force_locale

import models
from crm.labels import label, label_of, labels_of
from crm.requests.workflow import StepInput, take_step
from models import EnterpriseStatus, ReminderState, RequestState
from tests.factories import EnterpriseRequestFactory
from tests.helpers import REQUEST_NOW as NOW
from tests.helpers import log_in


def model_enums() -> list[type[StrEnum]]:
    """Every StrEnum declared in models/, found by walking the package (none listed by hand)."""
    found: dict[str, type[StrEnum]] = {}
    for module_info in pkgutil.iter_modules(models.__path__):
        module = importlib.import_module(f"models.{module_info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, StrEnum)
                and value.__module__.startswith("models")
            ):
                found[value.__qualname__] = value
    return [found[name] for name in sorted(found)]


ENUMS = model_enums()


def labels_in(kind: type[StrEnum], locale: str) -> dict[str, str]:
    with force_locale(locale):
        return {member.value: label(member) for member in kind}


def test_the_models_declare_the_workflow_enums_the_test_walks():
    names = {kind.__name__ for kind in ENUMS}

    assert {"RequestState", "ReminderState", "PackageState", "ItemState", "JobRunState"} <= names
    assert {"TrainingState", "VisitKind", "Tier", "EnterpriseStatus", "Role"} <= names


@pytest.mark.parametrize("kind", ENUMS, ids=lambda kind: kind.__name__)
def test_every_member_of_every_model_enum_has_its_own_label(app, kind):
    registered = set(labels_of(kind))

    missing = [member.value for member in kind if member.value not in registered]

    assert missing == [], f"{kind.__name__} has no label for {missing}"


@pytest.mark.parametrize("kind", ENUMS, ids=lambda kind: kind.__name__)
@pytest.mark.parametrize("locale", ["en", "zh_CN"])
def test_labels_within_an_enum_are_distinct(app, kind, locale):
    texts = list(labels_in(kind, locale).values())

    assert len(set(texts)) == len(texts), f"{kind.__name__} repeats a label in {locale}: {texts}"


@pytest.mark.parametrize("kind", ENUMS, ids=lambda kind: kind.__name__)
def test_the_chinese_label_is_a_translation_not_the_english_text(app, kind):
    english, chinese = labels_in(kind, "en"), labels_in(kind, "zh_CN")

    untranslated = [value for value in english if chinese[value] == english[value]]

    assert untranslated == [], f"{kind.__name__}: no Chinese label for {untranslated}"


def test_equal_values_of_different_enums_keep_their_own_labels(app):
    with force_locale("en"):
        words = [label(member) for member in (RequestState.CLOSED, ReminderState.CLOSED)]
        words.append(label(EnterpriseStatus.CLOSED))

    assert words == ["Confirmed closed", "Closed: cause gone", "Closed"]


def test_a_stored_value_is_labelled_by_the_enum_it_belongs_to(app):
    with force_locale("en"):
        request_word = label_of(RequestState, "closed")
        reminder_word = label_of(ReminderState, "closed")
        unknown = label_of(RequestState, "archived")

    assert (request_word, reminder_word, unknown) == (
        "Confirmed closed",
        "Closed: cause gone",
        "archived",
    )


@pytest.fixture
def closed_request(app, manager):
    """A request the manager closed after checking with the firm, which was satisfied."""
    from tests.factories import EnterpriseFactory, UserFactory

    staff = UserFactory(role="department", department_slug="finance")
    firm = EnterpriseFactory(sub_district_slug="daninglu")
    request = EnterpriseRequestFactory(enterprise=firm, created_by=manager)
    steps = [
        (staff, "accept", StepInput()),
        (staff, "start", StepInput()),
        (staff, "resolve", StepInput(answer="已对接银行授信")),
        (manager, "close", StepInput(satisfaction=5)),
    ]
    for number, (actor, action, data) in enumerate(steps):
        take_step(actor, request, action, data, NOW + timedelta(days=number))
    return request


@pytest.mark.parametrize(
    ("language", "expected", "wrong"),
    [("en", "Confirmed closed", "Closed: cause gone"), ("zh_CN", "已确认办结", "事由已消除")],
)
def test_a_request_the_manager_closed_shows_as_confirmed_closed(
    client, manager, closed_request, language, expected, wrong
):
    log_in(client, manager)
    client.post(f"/language/{language}")

    page = client.get(f"/requests/{closed_request.id}").text

    assert expected in page
    assert wrong not in page
