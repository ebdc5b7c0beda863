"""examples/sentiment.py: the generated sentiment data and the many-to-one LSTM against its PyTorch twin."""
from examples import sentiment
from examples.harness import text
from tests.examples.helpers import assert_twins_learn, both


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
    runs = both(lambda side, args: sentiment.train_sentiment(side, args, 25))
    assert_twins_learn({fw: r[0] for fw, r in runs.items()})
