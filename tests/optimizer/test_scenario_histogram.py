"""The engagement histogram of an answer: every scenario counted once, in a bounded number of
equal bins from the lowest to the highest value."""

from __future__ import annotations

import numpy as np
import pytest

from optimizer.scenarios import HISTOGRAM_BINS, histogram


def test_four_scenarios_make_four_bins_by_hand() -> None:
    edges, counts = histogram(np.array([1_960.0, 1_960.0, 1_840.0, 1_840.0]))

    assert edges == (1_840.0, 1_870.0, 1_900.0, 1_930.0, 1_960.0)
    # The top value falls in the last bin, which includes its upper edge.
    assert counts == (2, 0, 0, 2)


@pytest.mark.parametrize("count", [1, 7, 500, 2_000])
def test_every_scenario_is_counted_in_at_most_the_bin_limit(count: int) -> None:
    values = np.random.default_rng(count).lognormal(10, 0.5, size=count)

    edges, counts = histogram(values)

    assert len(counts) == min(count, HISTOGRAM_BINS) <= 30
    assert len(edges) == len(counts) + 1
    assert sum(counts) == count
    if count > 1:
        assert (edges[0], edges[-1]) == (values.min(), values.max())
