"""Key numbers printed by notebooks/10-conditional-gan.ipynb (executed copy)."""
import pytest

from nb_outputs import notebook_text, number


@pytest.fixture(scope="module")
def text():
    return notebook_text("10-conditional-gan.ipynb")


def test_an_unconditional_sampler_needs_one_over_p_draws_per_seven(text):
    p7 = number(text, r"P\(y = 7\) = ([0-9.]+)")
    assert 0.05 < p7 < 0.15
    assert number(text, r"needs ([0-9.]+) draws per 7") == pytest.approx(1 / p7, rel=0.02)


def test_the_generator_input_is_z_plus_the_one_hot_label(text):
    assert number(text, r"= (\d+) numbers; D input") == 110
    assert number(text, r"y \(10\) = (\d+)\n") == 794


def test_the_cgan_was_trained_here_or_loaded(text):
    if "loaded checkpoint ../build/checkpoints/l10-cgan.safetensors" in text:
        return  # made by `./course train 10` on this machine
    assert number(text, r"trained for [0-9.]+ s, (\d+) steps; no checkpoint") >= 500


def test_the_classifier_ceiling_is_high(text):
    assert number(text, r"accuracy on real test digits ([0-9.]+)") > 0.85


def test_label_agreement_lies_between_chance_and_the_ceiling(text):
    agreement = number(text, r"label agreement of 1000 cGAN samples: ([0-9.]+)")
    ceiling = number(text, r"real-digit ceiling ([0-9.]+)")
    wrong = number(text, r"same samples against wrong labels:\s+([0-9.]+)")
    assert 0.0 <= agreement <= 1.0
    assert agreement <= ceiling + 0.05
    assert wrong <= 0.3, "samples paired with wrong labels should agree at about chance level"
    assert agreement >= 0.5, "the cGAN should draw the requested digit most of the time"
    assert agreement >= wrong + 0.3
