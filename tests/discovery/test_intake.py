from datetime import date

import pytest

from crm.discovery.importing import IntakeSource, intake_file
from crm.enterprises.sheets import ImportFileError
from crm.errors import ForbiddenError
from models import DiscoveryCandidate, EventParticipant, SourceKind, db
from tests import factories
from tests.discovery.helpers import NOW, candidate, event
from tests.factories import valid_uscc


def csv_file(*rows: str) -> bytes:
    return ("企业名称,统一社会信用代码,产业赛道,所属街道,奖项,名次\n" + "\n".join(rows)).encode()


def candidates() -> list[DiscoveryCandidate]:
    return list(db.session.scalars(db.select(DiscoveryCandidate).order_by(DiscoveryCandidate.id)))


def test_a_good_file_takes_in_every_row_with_the_source_and_event(leader):
    contest = event(leader)
    content = csv_file(
        f"上海甲智能科技有限公司,{valid_uscc(800001)},人工智能,daninglu,一等奖,1",
        "上海乙数据有限公司,,大数据,,优胜奖,5",
    )
    source = IntakeSource(SourceKind.COMPETITION.value, "静安区科委", contest.id)

    report = intake_file(leader, "list.csv", content, source, NOW, dry_run=False)

    assert (report.rows, report.taken_in, report.errors, report.applied) == (2, 2, [], True)
    taken = candidates()
    assert [(c.name, c.track.slug, c.event_id, c.award) for c in taken] == [
        ("上海甲智能科技有限公司", "ai", contest.id, "一等奖"),
        ("上海乙数据有限公司", "big_data", contest.id, "优胜奖"),
    ]
    ranks = db.session.scalars(db.select(EventParticipant.rank).order_by(EventParticipant.rank))
    assert list(ranks) == [1, 5]


def test_a_file_with_bad_rows_writes_nothing_and_names_each(leader):
    content = csv_file(
        "上海甲智能科技有限公司,91310106MA0000000X,人工智能,,,",
        ",,人工智能,,,",
        "上海丙科技有限公司,,火星采矿,,,",
        "上海丁科技有限公司,,人工智能,,,第一",
    )
    source = IntakeSource(SourceKind.INVESTOR.value, "启明创投")

    report = intake_file(leader, "list.csv", content, source, NOW, dry_run=False)

    assert not report.applied
    assert candidates() == []
    found = {(problem.line, problem.column) for problem in report.errors}
    assert found == {
        (2, "统一社会信用代码"),
        (3, "企业名称"),
        (4, "产业赛道"),
        (5, "名次"),
    }


def test_a_missing_required_column_is_reported(leader):
    content = "企业名称,奖项\n上海甲科技有限公司,一等奖\n".encode()

    report = intake_file(leader, "list.csv", content, IntakeSource("investor"), NOW, dry_run=False)

    assert any("产业赛道" in problem.message for problem in report.errors)
    assert candidates() == []


def test_duplicates_are_reported_per_row(leader, firm):
    contest = event(leader)
    existing = candidate(leader, "上海已在名单科技有限公司", uscc=valid_uscc(800005))
    content = csv_file(
        f"别名,{firm.uscc},人工智能,,二等奖,2",
        f"另一个名字,{existing.uscc},人工智能,,,",
        "大宁智算科技（上海）有限公司,,人工智能,,,",
    )
    source = IntakeSource(SourceKind.COMPETITION.value, None, contest.id)

    report = intake_file(leader, "list.csv", content, source, NOW, dry_run=False)

    assert [problem.line for problem in report.warnings] == [2, 3, 4]
    assert (report.taken_in, report.skipped, report.participants) == (1, 2, 1)
    firm_rows = db.session.scalars(
        db.select(EventParticipant).where(EventParticipant.enterprise_id == firm.id)
    ).all()
    assert [(row.event_id, row.award, row.rank) for row in firm_rows] == [(contest.id, "二等奖", 2)]


def test_a_code_repeated_in_the_file_is_an_error(leader):
    code = valid_uscc(800009)
    content = csv_file(
        f"上海甲科技有限公司,{code},人工智能,,,", f"上海乙科技有限公司,{code},人工智能,,,"
    )

    report = intake_file(leader, "list.csv", content, IntakeSource("investor"), NOW, dry_run=False)

    assert [(problem.line, problem.column) for problem in report.errors] == [
        (3, "统一社会信用代码")
    ]


def test_a_dry_run_writes_nothing(leader):
    content = csv_file("上海甲智能科技有限公司,,人工智能,,,")

    report = intake_file(leader, "list.csv", content, IntakeSource("investor"), NOW, dry_run=True)

    assert (report.taken_in, report.applied) == (1, False)
    assert candidates() == []


def test_an_unreadable_file_is_refused(leader):
    with pytest.raises(ImportFileError):
        intake_file(leader, "list.txt", b"x", IntakeSource("investor"), NOW, dry_run=True)


def test_department_staff_cannot_import(app):
    staff = factories.UserFactory(role="department")

    with pytest.raises(ForbiddenError):
        intake_file(staff, "list.csv", csv_file(), IntakeSource("investor"), NOW, dry_run=True)


def test_a_managers_rows_go_to_their_sub_district(manager):
    content = csv_file("上海甲智能科技有限公司,,人工智能,,,")

    intake_file(manager, "list.csv", content, IntakeSource("own_search"), NOW, dry_run=False)

    assert [c.sub_district_id for c in candidates()] == [manager.sub_district_id]
    assert candidates()[0].received_on == date(2026, 12, 4)
