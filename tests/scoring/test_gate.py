import numpy as np
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from scoring.gate import Gain, paired_bootstrap, passes, ranking_metrics
from tests.helpers import TEST_BOOTSTRAP_ROUNDS


def panel(seed: int, signal: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """400 firms, about 12% positive; an index that ranks them, and a model that is the index
    plus `signal` times the truth plus a little noise of its own."""
    rng = np.random.default_rng(seed)
    labels = rng.random(400) < 0.12
    index = rng.random(400) + 0.8 * labels
    model = index + signal * labels + rng.normal(0, 0.05, 400)
    return labels, model, index


def test_noise_that_the_old_strict_comparison_would_have_published_does_not_pass():
    labels, model, index = panel(seed=5, signal=0.0)
    # The rule before the gate: publish when the held-out average precision is higher, at all.
    assert average_precision_score(labels, model) > average_precision_score(labels, index)
    assert roc_auc_score(labels, model) > roc_auc_score(labels, index)

    gains = paired_bootstrap(labels, model, index, rounds=TEST_BOOTSTRAP_ROUNDS)

    assert gains["average_precision"].low < 0 < gains["average_precision"].high
    assert not passes([gains, gains])


def test_a_real_gain_passes_with_its_interval_above_zero():
    labels, model, index = panel(seed=5, signal=0.6)

    gains = paired_bootstrap(labels, model, index, rounds=TEST_BOOTSTRAP_ROUNDS)

    for gain in gains.values():
        assert 0 < gain.low <= gain.estimate <= gain.high
    assert passes([gains, gains])


def test_the_gate_needs_every_metric_clear_at_every_test_cutoff():
    clear = {"average_precision": Gain(0.05, 0.01, 0.09), "roc_auc": Gain(0.03, 0.01, 0.05)}
    unclear = {**clear, "roc_auc": Gain(0.03, -0.001, 0.06)}

    assert passes([clear, clear])
    assert not passes([clear, unclear])
    assert not passes([])


def test_the_bootstrap_is_reproducible_and_refuses_a_panel_with_one_outcome():
    labels, model, index = panel(seed=1, signal=0.3)

    first = paired_bootstrap(labels, model, index, rounds=50, seed=3)

    assert first == paired_bootstrap(labels, model, index, rounds=50, seed=3)
    with pytest.raises(ValueError, match="both outcomes"):
        paired_bootstrap(np.zeros(10, dtype=bool), model[:10], index[:10])


def test_the_bootstraps_metrics_are_scikit_learns_with_tied_scores_too():
    rng = np.random.default_rng(4)
    labels = rng.random(500) < 0.1
    scores = np.round(rng.random(500) + 0.5 * labels, 1)  # ten values: many ties

    found = ranking_metrics(labels, scores)

    assert found["average_precision"] == pytest.approx(
        average_precision_score(labels, scores), abs=1e-12
    )
    assert found["roc_auc"] == pytest.approx(roc_auc_score(labels, scores), abs=1e-12)
