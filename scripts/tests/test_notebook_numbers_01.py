"""Key numbers printed by notebooks/01-probability.ipynb (executed copy)."""
from nb_outputs import notebook_text, number
import pytest

# Numbers the lesson's prose states that are not results of its run (content check 4 of
# `./course validate` reads this table).
PROSE = {
    "0.083": "1/12, each cell of the die-and-coin table the counts estimate",
    "1 %": "the example's prior, a setting",
    "95 %": "the example's detection rate, a setting",
    "5 %": "the example's false-alarm rate, a setting",
}


@pytest.fixture(scope="module")
def text():
    return notebook_text("01-probability.ipynb")


def test_a_positive_test_means_the_condition_only_about_16_percent_of_the_time(text):
    # 0.01 · 0.95 / (0.01 · 0.95 + 0.99 · 0.05) = 0.16102
    posterior = number(text, r"P\(condition \| positive\) = ([0-9.]+)")
    assert posterior == pytest.approx(0.0095 / (0.0095 + 0.0495), abs=1e-4)
    assert f"{round(100 * posterior)} %" == "16 %"  # the prose: "Only about 16 %"
    assert number(text, r"same by the formula     = ([0-9.]+)") == posterior


def test_zero_covariance_does_not_mean_independence(text):
    # X uniform on {-1, 0, 1}, Y = X²: Cov = E[X³] - E[X] E[X²] = 0, but Y is fixed by X
    assert number(text, r"Y = X²: Cov = ([-+]\d\.\d+)") == 0.0
    assert number(text, r"yet P\(Y = 1 \| X = 0\) = ([0-9.]+)") == 0.0
