"""examples/ngram.py: the N-gram language model against its PyTorch twin."""
from examples import ngram
from examples.harness import text
from tests.examples.helpers import assert_twins_learn, both


def test_ngram_model_twins_agree_and_learn():
    runs = both(lambda side, args: ngram.train_ngram(side, args, 25))
    assert_twins_learn({fw: r[0] for fw, r in runs.items()})
    for _, info in runs.values():  # greedy continuation of the first two words of the Zen of Python
        assert info["continuation"].split()[:2] == ["the", "zen"] and len(info["continuation"].split()) == 14
        assert info["train_perplexity"] < len(text.ngrams(2)["vocab"])
