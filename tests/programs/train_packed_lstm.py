"""A PyTorch sequence classifier over variable-length sequences: packed LSTM, ParameterDict, safetensors-free.

Run unmodified under minitorch by tests/test_pytorch_programs.py (imports swapped only). Each sample is a
sequence of 3 to 12 noisy steps whose label is the sign of the sum of its first feature. It uses a
collate_fn with pad_sequence, pack_padded_sequence (enforce_sorted=False) into a bidirectional 2-layer LSTM,
pad_packed_sequence, a masked mean over valid steps, nn.ParameterDict for per-class temperature, RMSprop with
ReduceLROnPlateau, a whole-module checkpoint (torch.save(model), loaded with weights_only=False) and a
state_dict checkpoint loaded with weights_only=True. It prints one JSON line of results.
"""
import json
import os
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset


class Sequences(Dataset):
    def __init__(self, n, seed):
        rng = np.random.default_rng(seed)
        self.items = []
        for _ in range(n):
            length = int(rng.integers(3, 13))
            x = rng.standard_normal((length, 4)).astype(np.float32)
            self.items.append((torch.from_numpy(x), int(x[:, 0].sum() > 0)))

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


def collate(batch):
    seqs, labels = zip(*batch)
    lengths = torch.tensor([len(s) for s in seqs])
    return nn.utils.rnn.pad_sequence(list(seqs), batch_first=True), lengths, torch.tensor(labels)


class Classifier(nn.Module):
    def __init__(self, hidden=16):
        super().__init__()
        self.lstm = nn.LSTM(4, hidden, num_layers=2, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * hidden, 2)
        self.scale = nn.ParameterDict({"logit": nn.Parameter(torch.ones(1))})

    def forward(self, padded, lengths):
        packed = nn.utils.rnn.pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
        out, (h_n, c_n) = self.lstm(packed)
        out, out_lengths = nn.utils.rnn.pad_packed_sequence(out, batch_first=True)
        mask = (torch.arange(out.size(1))[None, :] < out_lengths[:, None]).unsqueeze(-1).float()
        pooled = (out * mask).sum(1) / out_lengths[:, None].float()
        return self.out(pooled) * self.scale["logit"]


def accuracy(model, loader):
    model.eval()
    right = total = 0
    with torch.no_grad():
        for padded, lengths, labels in loader:
            right += (model(padded, lengths).argmax(1) == labels).sum().item()
            total += len(labels)
    return right / total


def main(epochs=6):
    torch.manual_seed(0)
    train = DataLoader(Sequences(512, 0), batch_size=32, shuffle=True, collate_fn=collate)
    test = DataLoader(Sequences(256, 1), batch_size=64, collate_fn=collate)
    model = Classifier()
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-2)
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=1)
    history = []
    for epoch in range(epochs):
        model.train()
        total = 0.0
        for padded, lengths, labels in train:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(padded, lengths), labels)
            loss.backward()
            optimizer.step()
            total += loss.item()
        scheduler.step(total)
        history.append({"loss": total / len(train), "acc": accuracy(model, test),
                        "lr": optimizer.param_groups[0]["lr"]})

    with tempfile.TemporaryDirectory() as tmp:
        whole, weights = os.path.join(tmp, "model.pt"), os.path.join(tmp, "weights.pt")
        torch.save(model, whole)
        torch.save(model.state_dict(), weights)
        try:
            torch.load(whole)
            refused = False
        except Exception as e:
            refused = "weights_only" in str(e)
        reloaded = torch.load(whole, weights_only=False)
        fresh = Classifier()
        fresh.load_state_dict(torch.load(weights, weights_only=True))
        restored = [accuracy(reloaded, test), accuracy(fresh, test)]

    print(json.dumps({"history": history, "restored": restored, "whole_module_refused": refused,
                      "state_dict_keys": list(model.state_dict().keys()),
                      "params": sum(p.numel() for p in model.parameters())}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 6)
