"""A PyTorch character-level language model: a small Transformer encoder with a causal mask.

Run unmodified under minitorch by tests/test_pytorch_programs.py (imports swapped only). It uses a
Dataset served by a DataLoader with two worker processes, nn.Embedding, a learned position table,
nn.TransformerEncoder (norm_first, GELU, batch_first) with nn.Transformer.generate_square_subsequent_mask,
AdamW with a cosine schedule and warm-up via LambdaLR, gradient clipping, a weights-only checkpoint
round trip, and sampling with torch.multinomial. It prints one JSON line of results.
"""
import json
import math
import os
import sys
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

TEXT = ("the quick brown fox jumps over the lazy dog. " * 40 +
        "a stitch in time saves nine. " * 40 +
        "all that glitters is not gold. " * 40)


class CharChunks(Dataset):
    def __init__(self, text, block, stoi):
        self.data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
        self.block = block

    def __len__(self):
        return len(self.data) - self.block - 1

    def __getitem__(self, i):
        chunk = self.data[i:i + self.block + 1]
        return chunk[:-1], chunk[1:]


class TinyGPT(nn.Module):
    def __init__(self, vocab, block, d_model=32, nhead=4, layers=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, d_model)
        self.pos = nn.Parameter(torch.zeros(1, block, d_model))
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=4 * d_model, dropout=0.1,
                                           activation="gelu", batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab, bias=False)
        nn.init.normal_(self.pos, std=0.02)

    def forward(self, idx):
        t = idx.size(1)
        mask = nn.Transformer.generate_square_subsequent_mask(t)
        x = self.tok(idx) + self.pos[:, :t]
        x = self.encoder(x, mask=mask, is_causal=True)
        return self.head(self.norm(x))


@torch.no_grad()
def sample(model, idx, steps, block, temperature=0.8):
    model.eval()
    for _ in range(steps):
        logits = model(idx[:, -block:])[:, -1, :] / temperature
        probs = F.softmax(logits, dim=-1)
        idx = torch.cat([idx, torch.multinomial(probs, num_samples=1)], dim=1)
    return idx


def main(steps=60):
    torch.manual_seed(0)
    chars = sorted(set(TEXT))
    stoi = {c: i for i, c in enumerate(chars)}
    block = 16
    dataset = CharChunks(TEXT, block, stoi)
    loader = DataLoader(dataset, batch_size=32, shuffle=True, num_workers=2, persistent_workers=True)
    model = TinyGPT(len(chars), block)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, betas=(0.9, 0.95), weight_decay=0.01)
    warmup = 10
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * min(s, steps) / steps)))

    losses, step = [], 0
    model.train()
    while step < steps:
        for x, y in loader:
            logits = model(x)
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            losses.append(loss.item())
            step += 1
            if step == steps:
                break

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "gpt.pt")
        torch.save(model.state_dict(), path)
        restored = TinyGPT(len(chars), block)
        restored.load_state_dict(torch.load(path, weights_only=True))

    prompt = torch.tensor([[stoi[c] for c in "the quick "]], dtype=torch.long)
    torch.manual_seed(1)
    a = sample(model, prompt, 20, block)
    torch.manual_seed(1)
    b = sample(restored, prompt, 20, block)
    text = "".join(chars[i] for i in a[0].tolist())
    print(json.dumps({"first_loss": sum(losses[:5]) / 5, "last_loss": sum(losses[-5:]) / 5,
                      "uniform_loss": math.log(len(chars)), "sample": text, "restored_same": a.tolist() == b.tolist(),
                      "params": sum(p.numel() for p in model.parameters()),
                      "state_dict_keys": list(model.state_dict().keys())}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
