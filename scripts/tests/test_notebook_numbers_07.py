"""Key numbers printed by notebooks/07-autoencoders-vae.ipynb (executed copy)."""
import math

import pytest

from nb_outputs import notebook_text, number


# Numbers the lesson's prose states that are not results of its run (content check 4 of
# `./course validate` reads this table).
PROSE = {
    "2.5": "the range of the latent grid, a setting",
}


@pytest.fixture(scope="module")
def text():
    return notebook_text("07-autoencoders-vae.ipynb")


def test_closed_form_kl_matches_gmcourse(text):
    # mu = 1, log σ² = 0: KL = 1/2 (0.5 · mu²)
    assert number(text, r"mu = \+1, log σ² = \+0: KL = ([0-9.]+)") == pytest.approx(0.5, abs=1e-4)
    # mu = 0, log σ² = 1: KL = -1/2 (1 + 1 - e) = (e - 2) / 2
    assert number(text, r"mu = \+0, log σ² = \+1: KL = ([0-9.]+)") == pytest.approx((math.e - 2) / 2, abs=1e-4)


def test_reparameterised_sample_is_mu_plus_sigma_eps(text):
    # z = (0 + 1, 1 + e^-1, -1 + e^1)
    assert number(text, r"exp\(log_var / 2\) · eps = \[([0-9.]+),") == pytest.approx(1.0, abs=1e-5)


def test_autoencoder_reconstructs_well(text):
    assert number(text, r"test reconstruction loss ([0-9.]+) nats") < 200.0, "about 100 steps on a loaded machine give ~170"


def test_vae_bounds_are_ordered_and_plausible(text):
    elbo = number(text, r"test −ELBO\s+: ([0-9.]+)")
    iwae = number(text, r"test −L_50 \(IWAE, K=50\): ([0-9.]+)")
    assert iwae <= elbo + 0.5, "the IWAE bound is at least as tight as the ELBO"
    assert iwae < 200.0


def test_kl_term_is_positive_at_the_end_of_training(text):
    kl = number(text, r"KL ([0-9.]+), ELBO")
    assert 0.0 < kl < 60.0


def grey(text, label):
    return number(text, label + r" ([0-9.]+) %")


def test_blur_is_compared_like_with_like_and_the_gan_column_is_measured(text):
    # binarized digits have no grey pixel at all; the VAE's means for a random z are
    # greyer than its means for real test digits (the prose of section 9 says so)
    assert grey(text, "binarized digits") == 0.0
    assert grey(text, "VAE sample means") > grey(text, "VAE means of test digits")
    gan, real = grey(text, "GAN samples"), grey(text, "real grey-level digits")
    assert 0.0 < real < 20.0 and 0.0 < gan < 100.0
    if "l09-gan.safetensors" not in text:
        # a few seconds of GAN training: greyer than real digits, as the prose says
        assert gan > real
