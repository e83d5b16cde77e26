"""Independent evaluation classifier (real pixels -> logits, 64-d features)."""
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

FEATURE_DIM = 64


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 32, 3, padding=1)
        self.c2 = nn.Conv2d(32, 64, 3, padding=1)
        self.c3 = nn.Conv2d(64, 64, 3, padding=1)
        self.fc = nn.Linear(64 * 3 * 3, FEATURE_DIM)
        self.out = nn.Linear(FEATURE_DIM, 10)
        self.drop = nn.Dropout(0.25)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.c1(x)), 2)   # 14
        h = F.max_pool2d(F.relu(self.c2(h)), 2)   # 7
        h = F.max_pool2d(F.relu(self.c3(h)), 2)   # 3
        feats = F.relu(self.fc(h.flatten(1)))
        logits = self.out(self.drop(feats))
        return logits, feats


def train_classifier(data, device, epochs=3, batch=128, lr=2e-3, seed=0, log=print, max_steps=None, minutes=None,
                     min_steps=700):
    """At most `epochs` epochs; with `minutes`, the step count is cut to the time budget after 20 timed steps."""
    g = torch.Generator().manual_seed(seed)
    model = Classifier().to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    x, y = data["train_x"], data["train_y"]
    n = x.shape[0]
    steps_per_epoch = n // batch
    total = epochs * steps_per_epoch if max_steps is None else min(max_steps, epochs * steps_per_epoch)

    def lr_at(s):
        warm = max(1, int(0.1 * total))
        if s < warm:
            return lr * (s + 1) / warm
        return lr * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * (s - warm) / max(1, total - warm))))
    t0 = time.time()
    step = 0
    model.train()
    while step < total:
        perm = torch.randperm(n, generator=g)
        for i in range(steps_per_epoch):
            if step >= total:
                break
            if minutes is not None and step == 20:
                per = (time.time() - t0) / 20
                total = max(min_steps, min(total, int(minutes * 60 / per)))
                log(f"[classifier] {per:.3f}s/step -> {total} steps for {minutes} min")
            for gr in opt.param_groups:
                gr["lr"] = lr_at(step)
            idx = perm[i * batch:(i + 1) * batch]
            xb = x[idx].to(device)
            # light augmentation: random horizontal flip + small shifts keep it robust to generated images
            flip = torch.rand(xb.shape[0], generator=g) < 0.5
            xb[flip] = xb[flip].flip(-1)
            dx, dy = torch.randint(-2, 3, (2,), generator=g).tolist()
            xb = torch.roll(xb, shifts=(dy, dx), dims=(2, 3))
            logits, _ = model(xb)
            loss = F.cross_entropy(logits, y[idx].to(device))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            if step % 200 == 0:
                log(f"[classifier] step {step}/{total} loss {loss.item():.4f} ({time.time() - t0:.0f}s)")
    model.eval()
    model.steps_trained = total
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
