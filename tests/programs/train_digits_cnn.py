"""A complete PyTorch training script, written against torch's API only.

tests/test_pytorch_programs.py runs this file twice: as it is (real PyTorch) and with its import lines
swapped for minitorch's (``import torch`` -> ``import minitorch as torch`` and the same for the other three),
nothing else changed. It classifies scikit-learn's 8x8 digits with a small CNN: device selection, a custom
Dataset, DataLoader with shuffling, a Module with Conv2d/BatchNorm2d/MaxPool2d/Dropout/Linear, Adam with
weight decay, a StepLR schedule, gradient clipping, train/eval modes, no_grad evaluation, a checkpoint of
model and optimiser saved and loaded, and a final accuracy. It prints one JSON line of results.
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


class Digits(Dataset):
    def __init__(self, images, labels):
        self.images = torch.tensor(images, dtype=torch.float32).unsqueeze(1) / 16.0
        self.labels = torch.tensor(labels, dtype=torch.long)

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return self.images[i], self.labels[i]


class Net(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, kernel_size=3, padding=1)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.dropout = nn.Dropout(0.25)
        self.fc1 = nn.Linear(32 * 2 * 2, 64)
        self.fc2 = nn.Linear(64, num_classes)

    def forward(self, x):
        x = self.pool(F.relu(self.bn1(self.conv1(x))))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = self.dropout(F.relu(self.fc1(x)))
        return self.fc2(x)


def evaluate(model, loader, device):
    model.eval()
    correct, total, loss_sum = 0, 0, 0.0
    with torch.no_grad():
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            logits = model(images)
            loss_sum += F.cross_entropy(logits, labels, reduction="sum").item()
            correct += (logits.argmax(dim=1) == labels).sum().item()
            total += labels.size(0)
    return loss_sum / total, correct / total


def main(epochs=4):
    from sklearn.datasets import load_digits

    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    digits = load_digits()
    rng = np.random.default_rng(0)
    order = rng.permutation(len(digits.target))
    train_idx, test_idx = order[:1400], order[1400:]
    train_set = Digits(digits.images[train_idx], digits.target[train_idx])
    test_set = Digits(digits.images[test_idx], digits.target[test_idx])
    train_loader = DataLoader(train_set, batch_size=64, shuffle=True, drop_last=False)
    test_loader = DataLoader(test_set, batch_size=128)

    model = Net().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    criterion = nn.CrossEntropyLoss()
    n_params = sum(p.numel() for p in model.parameters() if p.requires_grad)

    history = []
    for epoch in range(epochs):
        model.train()
        running = 0.0
        for images, labels in train_loader:
            images, labels = images.to(device), labels.to(device)
            optimizer.zero_grad()
            loss = criterion(model(images), labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=5.0)
            optimizer.step()
            running += loss.item() * images.size(0)
        scheduler.step()
        test_loss, test_acc = evaluate(model, test_loader, device)
        history.append({"epoch": epoch, "train_loss": running / len(train_set), "test_loss": test_loss,
                        "test_acc": test_acc, "lr": scheduler.get_last_lr()[0]})

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "checkpoint.pt")
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epochs}, path)
        checkpoint = torch.load(path)
        restored = Net().to(device)
        restored.load_state_dict(checkpoint["model"])
        optimizer2 = torch.optim.Adam(restored.parameters(), lr=3e-3, weight_decay=1e-4)
        optimizer2.load_state_dict(checkpoint["optimizer"])
        _, restored_acc = evaluate(restored, test_loader, device)

    print(json.dumps({"params": n_params, "history": history, "restored_acc": restored_acc,
                      "state_dict_keys": list(model.state_dict().keys())}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 4)
