"""The plumbing every example shares, so that each example file holds only its model and its loop.

- ``cli``: the shared command-line options and the number of training steps they ask for;
- ``data``: MNIST-1D, scikit-learn's digits and MNIST as numpy arrays, and endless minibatches;
- ``text``: text made by a small grammar or read from Python itself, and the arrays the language models read;
- ``twin``: one framework's side of a run (its library, device, precision), models built with the weights
  PyTorch draws from a seed, timed training steps, predictions and accuracy;
- ``report``: each run's losses and times printed side by side, plots, and ``runs/<name>/results.json``;
- ``gpt2``: what both GPT twins share (configuration, Hugging Face checkpoints, sampling rules, byte tokens).
"""
