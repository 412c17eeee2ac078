"""Key numbers printed by notebooks/00-welcome.ipynb (executed copy)."""
from nb_outputs import notebook_text, number
import pytest

# Numbers the lesson's prose states that are not results of its run (content check 4 of
# `./course validate` reads this table).
PROSE = {
    "1.5": "the invalid input of the Bernoulli::new example the reader is invited to try",
    "0.3": "3 heads in 10 flips: the MLE 3/10, derived in lesson 04",
    "3.0": "the MNIST licence, CC BY-SA 3.0",
}


@pytest.fixture(scope="module")
def text():
    return notebook_text("00-welcome.ipynb")


def test_the_course_ships_10_000_digits(text):
    train = number(text, r"train (\d+) ·")
    val = number(text, r"validation (\d+) ·")
    test = number(text, r"test (\d+)")
    assert train + val + test == 10_000
