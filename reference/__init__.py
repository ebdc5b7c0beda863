"""The PyTorch twins of the examples' models: the same code built on torch, plus torch-only extras.

``reference.train`` trains the recurrent, language and generative models fast (CUDA, bf16 autocast,
``torch.compile``, DDP through ``torchrun``); ``reference.gpt`` is the GPT twin.
"""
