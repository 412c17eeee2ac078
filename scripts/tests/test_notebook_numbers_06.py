"""Key numbers printed by notebooks/06-mixtures-and-mcmc.ipynb (executed copy)."""
import pytest

from nb_outputs import notebook_text, number

# Numbers the lesson's prose states that are not results of its run (content check 4 of
# `./course validate` reads this table).
PROSE = {
    "0.44": "the acceptance rate often quoted as best for a 1-D Gaussian target, a citation",
    "0.234": "the optimal acceptance rate in high dimension (Roberts, Gelman & Gilks 1997), a citation",
}


@pytest.fixture(scope="module")
def text():
    return notebook_text("06-mixtures-and-mcmc.ipynb")


def test_em_recovers_the_true_mixture(text):
    # truth: π = 0.35, μ = (−1.5, 1.5), σ = (0.6, 1.0) (the lesson's data_cfg), 1000 points
    assert number(text, r"fitted  π = \[([0-9.]+),") == pytest.approx(0.35, abs=0.05)
    assert number(text, r"μ = \[(-[0-9.]+),") == pytest.approx(-1.5, abs=0.15)


def test_em_never_lowers_the_log_likelihood(text):
    assert number(text, r"largest decrease between consecutive steps: (-?[0-9.e+-]+)") < 1e-9
    first = number(text, r"mean log-likelihood: step 1 (-[0-9.]+)")
    last = number(text, r"→ last (-[0-9.]+)")
    assert last > first


def test_monte_carlo_estimate_of_the_normal_tail(text):
    # P(X > 1) = 0.158655 for X ~ N(0, 1) (scipy.stats.norm.sf(1))
    assert number(text, r"S = 100000: P\(X > 1\) ≈ ([0-9.]+)") == pytest.approx(0.158655, abs=0.005)


def test_weather_chain_reaches_its_stationary_distribution(text):
    # stationary distribution of the lesson's matrix, solved by hand: (21/46, 13/46, 12/46)
    assert number(text, r"day 20: P\(sunny, cloudy, rainy\) = \[([0-9.]+)") == pytest.approx(21 / 46, abs=1e-3)


def test_metropolis_hastings_samples_both_modes(text):
    assert number(text, r"fraction in the right mode ([0-9.]+) \(exact 0.5\)") == pytest.approx(0.5, abs=0.1)
    rate = number(text, r"σ = 2: acceptance rate ([0-9.]+)")
    assert 0.2 < rate < 0.8


def test_acceptance_falls_as_the_proposal_widens(text):
    narrow = number(text, r"σ =  0.05: acceptance ([0-9.]+)")
    wide = number(text, r"σ =    16: acceptance ([0-9.]+)")
    assert narrow > 0.9 and wide < 0.2


def test_the_tuned_width_lands_in_the_lesson_band(text):
    # band = (0.25, 0.45) in the lesson's hyperparameters; fresh draws within 0.05 of it
    searched = number(text, r"tuned σ = [0-9.]+: acceptance ([0-9.]+) on the draws it searched")
    fresh = number(text, r"on the draws it searched, ([0-9.]+) on fresh draws")
    assert 0.25 <= searched <= 0.45
    assert 0.20 <= fresh <= 0.50
