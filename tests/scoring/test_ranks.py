"""The one percentile: a value's share of the values below it, ties counted half."""

import math

import numpy as np

from scoring.ranks import percentile_ranks


def test_ties_share_the_middle_of_their_places():
    values = np.array([5.0, 1.0, 5.0, 3.0])

    found = percentile_ranks(values)

    assert found.tolist() == [0.75, 0.125, 0.75, 0.375]


def test_a_missing_value_has_no_place_and_is_not_counted():
    values = np.array([2.0, math.nan, 4.0])

    found = percentile_ranks(values)

    assert found[[0, 2]].tolist() == [0.25, 0.75]
    assert math.isnan(found[1])


def test_a_lone_value_sits_in_the_middle():
    found = percentile_ranks(np.array([7.0]))

    assert found.tolist() == [0.5]
