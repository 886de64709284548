from crm.pipeline.ranking import score_movers
from models import db
from tests.factories import EnterpriseFactory, PotentialScoreFactory, ScoringRunFactory


def test_a_firm_whose_score_did_not_move_is_no_mover_even_when_its_percentile_did(app):
    climber, steady = EnterpriseFactory(), EnterpriseFactory()
    before, after = ScoringRunFactory(), ScoringRunFactory()
    # The climber passes the steady firm: both percentiles change, one score only.
    PotentialScoreFactory(run=before, enterprise=climber, score=0.2, percentile=0.25, rank=2)
    PotentialScoreFactory(run=before, enterprise=steady, score=0.5, percentile=0.75, rank=1)
    PotentialScoreFactory(run=after, enterprise=climber, score=0.8, percentile=0.75, rank=1)
    PotentialScoreFactory(run=after, enterprise=steady, score=0.5, percentile=0.25, rank=2)
    db.session.flush()

    movers = score_movers()

    assert [mover.enterprise_id for mover in movers] == [climber.id]
    assert movers[0].change == 0.5
