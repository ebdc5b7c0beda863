"""The PyTorch twins of the examples: ``reference/<name>.py`` holds in torch the models of ``examples/<name>.py``.

Module for module and parameter name for parameter name they match, so a ``state_dict`` moves between
the two unchanged (the examples start both frameworks from the weights these twins draw).
``reference.train`` trains them fast: CUDA when present, bf16 autocast, ``torch.compile``, DDP through ``torchrun``.
"""
