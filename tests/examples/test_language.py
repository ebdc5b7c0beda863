"""examples/language.py: the N-gram model, the tagger and the sentiment LSTM against their PyTorch twins."""
import numpy as np

from examples import language
from examples.harness import text
from tests.examples.helpers import assert_twins_learn, both


def test_ngram_model_twins_agree_and_learn():
    runs = both(lambda side, args: language.train_ngram(side, args, 25))
    assert_twins_learn({fw: r[0] for fw, r in runs.items()})
    for _, info in runs.values():  # greedy continuation of the first two words of the Zen of Python
        assert info["continuation"].split()[:2] == ["the", "zen"] and len(info["continuation"].split()) == 14
        assert info["train_perplexity"] < len(text.ngrams(2)["vocab"])


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
    runs = both(lambda side, args: language.train_tagger(side, args, 25))
    assert_twins_learn({fw: r[0] for fw, r in runs.items()})
    assert runs["torch"][1]["test_accuracy"] > 0.5


def test_sentiment_labels_follow_the_words():
    x, y, vocab = text.sentiment(200, seed=3)
    words = {i: w for w, i in vocab.items()}
    for row, label in zip(x, y):
        tokens = [words[int(t)] for t in row if t != text.PAD]
        score = sum((1 if t in text.POSITIVE else -1) * (-1 if i and tokens[i - 1] == "not" else 1)
                    for i, t in enumerate(tokens) if t in text.POSITIVE + text.NEGATIVE)
        assert label == int(score > 0)
    assert 0.2 < y.mean() < 0.8


def test_sentiment_twins_agree_and_learn():
    runs = both(lambda side, args: language.train_sentiment(side, args, 25))
    assert_twins_learn({fw: r[0] for fw, r in runs.items()})
