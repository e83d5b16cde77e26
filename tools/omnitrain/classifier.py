"""Independent evaluation classifier (real pixels -> logits, 64-d features)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .budget import Budget, warmup_cosine
from .data import random_appearance

FEATURE_DIM = 64


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, padding=1)
        self.b1 = nn.BatchNorm2d(16)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.b2 = nn.BatchNorm2d(32)
        self.c3 = nn.Conv2d(32, 64, 3, padding=1)
        self.b3 = nn.BatchNorm2d(64)
        self.fc = nn.Linear(64 * 3 * 3, FEATURE_DIM)
        self.out = nn.Linear(FEATURE_DIM, 10)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.b1(self.c1(x))), 2)   # 14
        h = F.max_pool2d(F.relu(self.b2(self.c2(h))), 2)   # 7
        h = F.max_pool2d(F.relu(self.b3(self.c3(h))), 2)   # 3
        feats = F.relu(self.fc(h.flatten(1)))
        return self.out(feats), feats


def train_classifier(data, device, max_steps=2000, batch=128, lr=3e-3, seed=0, log=print, minutes=None, augment=True):
    """Up to max_steps steps of `batch`, cut to `minutes` of wall time (see budget.py). Augmented with
    horizontal flips and (augment) random darkening, brightening and shrinking, so that "class kept" after
    an edit measures the edit, not the classifier's blind spots."""
    g = torch.Generator().manual_seed(seed)
    model = Classifier().to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    x, y = data["train_x"], data["train_y"]
    n = x.shape[0]
    bud = Budget(max_steps, minutes)
    model.train()
    step = 0
    while bud.progress(step) < 1.0:
        for gr in opt.param_groups:
            gr["lr"] = warmup_cosine(bud.progress(step), lr, warmup=0.05, floor=0.02)
        idx = torch.randint(0, n, (batch,), generator=g)
        xb = x[idx].to(device)
        flip = (torch.rand(xb.shape[0], generator=g) < 0.5).to(device)
        xb[flip] = xb[flip].flip(-1)
        if augment:
            xb = random_appearance(xb, g)
        logits, _ = model(xb)
        loss = F.cross_entropy(logits, y[idx].to(device))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        if step % 200 == 0:
            log(f"[classifier] step {step} progress {bud.progress(step):.2f} loss {loss.item():.4f} ({bud.elapsed():.0f}s)")
    model.eval()
    model.steps_trained = step
    return model


@torch.no_grad()
def classify(model, x, device, batch=1000):
    logits, feats = [], []
    for i in range(0, x.shape[0], batch):
        l, f = model(x[i:i + batch].to(device))
        logits.append(l.cpu())
        feats.append(f.cpu())
    return torch.cat(logits), torch.cat(feats)


def accuracy(model, x, y, device):
    logits, _ = classify(model, x, device)
    return (logits.argmax(1) == y).float().mean().item()
