"""The pipeline's pages and API: ranked, filtered, exported, scoped like the reservoir."""

import csv
import io

import pytest
from openpyxl import load_workbook

from crm.pipeline import overrides, versions
from crm.pipeline.rescoring import rescore
from models import AuditEntry, Tier, db
from scoring.labels import SINGLE_OUTCOME
from tests.factories import UserFactory
from tests.helpers import PIPELINE_AS_OF, api_headers, log_in
from tests.helpers import PIPELINE_NOW as NOW


def test_a_leader_sees_every_scored_firm_ranked_and_a_filter_narrows_it(scored, leader_client):
    everyone = leader_client.get("/pipeline/")
    narrowed = leader_client.get("/pipeline/?sub_district=jiangninglu")

    assert everyone.status_code == 200
    assert everyone.text.count('data-testid="pipeline-row"') == 12  # the listed firm is not ranked
    assert narrowed.text.count('data-testid="pipeline-row"') == 4
    assert "rule-based index" in everyone.text


def test_a_manager_sees_only_the_firms_of_their_sub_district(scored, logged_in):
    page = logged_in.get("/pipeline/")
    other = next(f for f in scored if f.sub_district.slug == "jiangninglu")

    assert page.text.count('data-testid="pipeline-row"') == 8
    assert other.name not in page.text
    assert logged_in.get(f"/pipeline/firms/{other.id}/override").status_code == 404


def test_department_staff_have_no_pipeline(client, scored):
    log_in(client, UserFactory(role="department", department_slug="stec"))

    assert client.get("/pipeline/").status_code == 404
    assert client.get("/pipeline/export?format=csv").status_code == 404


def test_exports_hold_the_pages_ranking_in_csv_and_xlsx(scored, leader_client):
    # Streamed: each body is read before the next request, as a browser would.
    as_csv = leader_client.get("/pipeline/export?format=csv&sub_district=jiangninglu").data
    as_xlsx = leader_client.get("/pipeline/export?format=xlsx&sub_district=jiangninglu").data

    rows = list(csv.reader(io.StringIO(as_csv.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(as_xlsx)).active
    assert sheet is not None
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["Rank", "Firm"]
    assert [int(row[0]) for row in rows[1:]] == sorted(int(row[0]) for row in rows[1:])
    assert len(rows) == len(cells) == 5
    assert [row[1] for row in rows[1:]] == [row[1] for row in cells[1:]]
    assert not any(reason.startswith(("=", "+", "-")) for reason in (row[6] for row in rows[1:]))


def test_the_firm_page_shows_score_reasons_and_the_scorer(scored, leader_client):
    page = leader_client.get(f"/enterprises/{scored[0].id}")

    assert 'data-testid="score-card"' in page.text
    assert "by rule-based index" in page.text
    assert "% of " in page.text  # a reason in plain words
    assert "score-data" in page.text


def test_a_leader_overrides_from_the_form_and_sees_it_beside_the_model(scored, leader_client):
    firm = scored[0]

    refused = leader_client.post(
        f"/pipeline/firms/{firm.id}/override", data={"tier": "", "reason": "why"}
    )
    saved = leader_client.post(
        f"/pipeline/firms/{firm.id}/override",
        data={"tier": "new_track", "watch": "y", "reason": "Orders from three automakers signed."},
    )

    assert refused.status_code == 200
    assert "at least 10 characters" in refused.text
    assert saved.status_code == 302
    db.session.refresh(firm)
    assert firm.tier == Tier.NEW_TRACK
    page = leader_client.get(f"/enterprises/{firm.id}")
    assert "Orders from three automakers signed." in page.text
    assert db.session.query(AuditEntry).filter_by(entity_type="pipeline_override").count() == 1


def test_the_api_ranks_the_callers_firms_with_reasons(client, manager, scored):
    headers = api_headers(client, manager)

    response = client.get("/api/v1/pipeline?limit=3", headers=headers)

    assert response.status_code == 200
    items = response.json["items"]
    assert len(items) == 3
    assert response.json["total"] == 8
    assert [item["rank"] for item in items] == sorted(item["rank"] for item in items)
    assert set(items[0]) >= {
        "enterprise_id",
        "name",
        "score",
        "rank",
        "percentile",
        "reasons",
        "model_version",
    }
    assert items[0]["model_version"] == "index"
    assert items[0]["reasons"][0]["words"]
    own = {f.id for f in scored if f.sub_district.slug == "daninglu"}
    assert {item["enterprise_id"] for item in items} <= own


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("limit=999", "limit"),
        ("tier=gold", "tier"),
        ("zone=atlantis", "zone"),
        ("page=0", "page"),
    ],
)
def test_bad_pipeline_queries_answer_422_naming_the_field(client, leader, scored, query, field):
    response = client.get(f"/api/v1/pipeline?{query}", headers=api_headers(client, leader))

    assert response.status_code == 422
    assert field in response.json["errors"]


def test_the_active_model_is_the_index_until_a_version_is_published(
    client, leader, admin, learned_version
):
    headers = api_headers(client, leader)
    before = client.get("/api/v1/models/active", headers=headers)
    versions.publish(admin, learned_version, NOW)
    db.session.commit()
    after = client.get("/api/v1/models/active", headers=headers)

    assert before.json["kind"] == "index"
    assert after.json["kind"] == "logistic"
    assert after.json["id"] == learned_version.id
    assert after.json["card"]["gate"][0]["roc_auc"]["low"] == 0.01


def test_the_model_page_says_when_the_index_stays_live(learned_version, admin_client):
    learned_version.beats_index = False
    db.session.commit()

    page = admin_client.get(f"/pipeline/model?version={learned_version.id}")
    refused = admin_client.post(
        f"/pipeline/models/{learned_version.id}/publish", follow_redirects=True
    )

    assert page.status_code == 200
    assert "does not beat it out of time" in page.text
    assert "did not pass the publish gate" in refused.text
    assert versions.live_version() is None


def test_the_api_pages_through_the_ranking(client, leader, scored):
    headers = api_headers(client, leader)

    first = client.get("/api/v1/pipeline?limit=5", headers=headers).json
    second = client.get("/api/v1/pipeline?limit=5&page=2", headers=headers).json

    assert first["total"] == second["total"] == 12
    assert [i["rank"] for i in first["items"]] + [i["rank"] for i in second["items"]] == sorted(
        i["rank"] for i in first["items"] + second["items"]
    )
    assert not {i["enterprise_id"] for i in first["items"]} & {
        i["enterprise_id"] for i in second["items"]
    }


def test_control_characters_in_a_reason_do_not_break_the_excel_export(
    leader, scored, leader_client
):
    overrides.set_override(
        leader,
        scored[0],
        overrides.OverrideInput("", True, "Bell \x07 in a pasted reason"),
        None,
        NOW,
    )
    db.session.commit()

    response = leader_client.get("/pipeline/export?format=xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet is not None
    assert any(
        "Bell  in a pasted reason" in str(cell.value) for row in sheet.iter_rows() for cell in row
    )


def test_a_managers_firm_page_shows_the_score_of_their_own_firm(scored, logged_in):
    own = logged_in.get(f"/enterprises/{scored[0].id}")

    assert 'data-testid="score-card"' in own.text
    assert "Override or watch" not in own.text


def test_rolling_back_refuses_when_another_admin_published_meanwhile(
    admin, learned_version, admin_client
):
    versions.publish(admin, learned_version, NOW)
    db.session.commit()

    stale = admin_client.post(
        "/pipeline/models/roll-back", data={"live_id": 999}, follow_redirects=True
    )

    assert "was published meanwhile" in stale.text
    assert versions.live_version() == learned_version


def test_a_model_whose_file_is_gone_is_refused_not_a_500(admin, learned_version, app, admin_client):
    from pathlib import Path

    versions.publish(admin, learned_version, NOW)
    db.session.commit()
    (Path(app.config["MODEL_FOLDER"]) / str(learned_version.artifact)).unlink()

    response = admin_client.post("/pipeline/rescore", follow_redirects=True)

    assert response.status_code == 200
    assert "is missing or was built by another scikit-learn" in response.text


def test_the_model_page_shows_the_gate_intervals_and_calibration_out_of_time(
    learned_version, admin_client
):
    judged = {"rows": 40, "positives": 6, "candidates": {"index": {"roc_auc": 0.7}}}
    learned_version.report = {**learned_version.report, "subsets": {"track": {"ai": judged}}}
    db.session.commit()

    page = admin_client.get(f"/pipeline/model?version={learned_version.id}")

    assert page.status_code == 200
    assert 'data-testid="publish-gate"' in page.text
    assert "+0.050 [+0.010, +0.090]" in page.text  # ROC AUC gain and its interval
    assert 'data-testid="out-of-time-calibration"' in page.text
    assert "7.0%" in page.text  # mean predicted
    assert "6.6%" in page.text  # observed
    assert "6.8% (2020-01-01, 2021-01-01, 2022-01-01)" in page.text  # the base rate carried
    # The choice is worded from the gate's weakest point: the lowest lower bound.
    assert "clear of noise at every test cut-off" in page.text
    assert "ROC AUC +0.050 at 2022-01-01, interval [+0.010, +0.090]" in page.text
    assert 'data-testid="subsets"' in page.text
    assert "Artificial intelligence" in page.text  # the track's name, not its slug


def test_the_index_score_reads_as_points_and_a_learned_score_as_a_probability(
    admin, reservoir, learned_version, leader_client
):
    rescore(PIPELINE_AS_OF, NOW)
    db.session.commit()
    by_index = leader_client.get("/pipeline/").text
    versions.publish(admin, learned_version, NOW)
    rescore(PIPELINE_AS_OF, NOW)
    db.session.commit()
    by_model = leader_client.get("/pipeline/").text

    assert "Index score" in by_index
    assert " points" in by_index
    assert "Estimated probability" not in by_index
    assert "Estimated probability" in by_model
    assert "Index score" not in by_model


def test_a_card_from_before_the_publish_gate_still_shows_with_its_own_wording(
    admin, learned_version, admin_client
):
    learned_version.card = {
        key: value
        for key, value in learned_version.card.items()
        if key not in {"validation_cutoff", "test_cutoffs", "gate", "calibration"}
    }
    db.session.commit()
    headers = api_headers(admin_client, admin)

    page = admin_client.get(f"/pipeline/model?version={learned_version.id}")
    versions.publish(admin, learned_version, NOW)
    db.session.commit()
    api = admin_client.get("/api/v1/models/active", headers=headers)

    assert page.status_code == 200
    assert "average precision 0.300 beats the index" in page.text  # the wording before the gate
    assert 'data-testid="publish-gate"' not in page.text
    assert api.status_code == 200
    assert "gate" not in api.json["card"]


def test_a_training_that_kept_the_index_for_a_single_outcome_says_so(learned_version, admin_client):
    learned_version.kind = "index"
    learned_version.beats_index = False
    learned_version.choice_reason = SINGLE_OUTCOME
    db.session.commit()

    page = admin_client.get(f"/pipeline/model?version={learned_version.id}")

    assert "had a single outcome" in page.text
    assert "positive outcomes in the training windows" not in page.text
