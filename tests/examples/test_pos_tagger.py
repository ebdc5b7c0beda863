"""examples/pos_tagger.py: the character-aware LSTM tagger and its inputs against its PyTorch twin."""
import numpy as np

from examples import pos_tagger
from examples.harness import text
from tests.examples.helpers import assert_twins_learn, both


def test_tagger_inputs_mark_each_words_last_character():
    d = text.tagging(n_train=20, n_test=5)
    train = d["train"]
    real = train["tags"] != -100
    assert np.all(train["last"].sum(-1)[real] == 1) and np.all(train["last"].sum(-1)[~real] == 0)
    last_char = (train["chars"] * train["last"]).sum(-1)[real]
    inverse = {i: c for c, i in d["chars"].items()}
    words = {i: w for w, i in d["words"].items()}
    assert [inverse[int(c)] for c in last_char] == [words[int(w)][-1] for w in train["words"][real]]


def test_tagger_twins_agree_and_learn():
    runs = both(lambda side, args: pos_tagger.train_tagger(side, args, 25))
    assert_twins_learn({fw: r[0] for fw, r in runs.items()})
    assert runs["torch"][1]["test_accuracy"] > 0.5
