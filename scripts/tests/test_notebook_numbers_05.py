"""Key numbers printed by notebooks/05-autoregressive-nade.ipynb (executed copy)."""
import math

import pytest

from nb_outputs import notebook_text, number


# Numbers the lesson's prose states that are not results of its run (content check 4 of
# `./course validate` reads this table).
PROSE = {
    "88.9": "the NADE paper's test NLL (Larochelle and Murray, 2011), a citation",
    "5 %": "the false-alarm rate the threshold is set to, a setting",
}


@pytest.fixture(scope="module")
def text():
    return notebook_text("05-autoregressive-nade.ipynb")


def test_nade_parameter_count_is_2hd_plus_h_plus_d(text):
    # H = 100, D = 784: 2·100·784 + 100 + 784
    assert number(text, r"= (\d+)\n") == 2 * 100 * 784 + 100 + 784


def test_fused_kernel_matches_the_literal_recursion(text):
    assert number(text, r"fused − literal\| logit over 4 × 784 conditionals: ([0-9.e+-]+)") < 1e-3


def test_trained_nade_beats_the_uniform_model_by_far(text):
    nll = number(text, r"test NLL: ([0-9.]+) nats per image")
    assert nll < 200.0, "a NADE trained for 150 steps should be well below 200 nats (measured: 111)"
    assert number(text, r"uniform model \(every pixel 1/2\): ([0-9.]+)") == pytest.approx(784 * math.log(2), abs=0.1)


def test_the_training_cell_runs_its_150_steps_within_the_time_budget(text):
    # the hyperparameters: 150 steps of 50 images, a 120 s budget that only a slow loop meets
    assert number(text, r"trained for \d+ s, (\d+) steps of 50 images") == 150


def test_nade_probabilities_sum_to_one(text):
    assert number(text, r"Σ over all 2\^10 images of p\(x\) = ([0-9.]+)") == pytest.approx(1.0, abs=1e-4)


def test_anomaly_scores_order_test_digits_below_the_others(text):
    test = number(text, r"test digits: mean −log p\(x\) =\s+([0-9.]+)")
    held = number(text, r"held-out digit: mean −log p\(x\) =\s+([0-9.]+)")
    inverted = number(text, r"inverted: mean −log p\(x\) =\s+([0-9.]+)")
    noise = number(text, r"noise: mean −log p\(x\) =\s+([0-9.]+)")
    assert test < held < noise
    assert test < inverted
    # the prose: noise and inverted digits are "hundreds of nats less likely", and the
    # inverted ones lie beyond the histogram's 600 nats (measured: 147, 426, 1307 nats)
    assert noise - test > 100 and inverted - test > 100
    assert inverted > 600


def test_noise_and_inverted_digits_are_all_flagged(text):
    assert number(text, r"inverted ([0-9.]+), noise") > 0.99
    assert number(text, r"noise ([0-9.]+)\n") > 0.99
    assert number(text, r"flagged: test ([0-9.]+)") == pytest.approx(0.05, abs=0.01)


def test_the_held_out_digit_is_flagged_far_less_often_than_noise(text):
    # the prose: "only a little more often than the 5 % false alarms, nowhere near always"
    # (measured: 0.26 after 150 steps of training at learning rate 0.02)
    held = number(text, r"held-out digit ([0-9.]+), inverted")
    assert 0.05 <= held < 0.5


def test_a_mixture_fits_continuous_pixels_better_than_one_gaussian(text):
    one = number(text, r"one Gaussian (-?[0-9.]+)")
    mog = number(text, r"mixture of 3 (-?[0-9.]+)")
    assert mog > one


def test_an_ar_28_table_needs_2_7e8_numbers_per_conditional_and_2_1e11_in_all(text):
    per = number(text, r"AR\(28\):\s+(\d+) parameters per conditional")
    assert per == 2**28
    assert round(per / 1e8, 1) == 2.7
    assert round(number(text, r"AR\(28\):.*?(\d+) for 784 pixels") / 1e11, 1) == 2.1


def test_a_network_output_mixture_beats_one_gaussian_for_a_continuous_pixel(text):
    # p(x_(14,14) | left, above) on all 8,000 training digits: K = 3 vs the same net with K = 1
    one = number(text, r"network-output conditional, K = 1: mean log-likelihood (-?[0-9.]+)")
    three = number(text, r"network-output conditional, K = 3: mean log-likelihood (-?[0-9.]+)")
    assert three > one + 0.5
