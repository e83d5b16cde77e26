"""Conv VQ-VAE: 28x28 -> 7x7 codes, EMA codebook with dead-code restart."""
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class ResBlock(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.a = nn.Conv2d(ch, ch, 3, padding=1)
        self.b = nn.Conv2d(ch, ch, 1)

    def forward(self, x):
        return x + self.b(F.relu(self.a(F.relu(x))))


class Encoder(nn.Module):
    def __init__(self, dim, ch=64):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 32, 4, stride=2, padding=1), nn.ReLU(),    # 14
            nn.Conv2d(32, ch, 4, stride=2, padding=1),               # 7
            ResBlock(ch), ResBlock(ch), nn.ReLU(),
            nn.Conv2d(ch, dim, 1))

    def forward(self, x):
        return self.net(x)


class Decoder(nn.Module):
    def __init__(self, dim, ch=64):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(dim, ch, 3, padding=1),
            ResBlock(ch), ResBlock(ch), nn.ReLU(),
            nn.ConvTranspose2d(ch, 32, 4, stride=2, padding=1), nn.ReLU(),   # 14
            nn.ConvTranspose2d(32, 1, 4, stride=2, padding=1))               # 28

    def forward(self, z):
        return self.net(z)  # logits


class VQVAE(nn.Module):
    def __init__(self, codebook_size=512, dim=32, decay=0.99, beta=0.25):
        super().__init__()
        self.K, self.D, self.decay, self.beta = codebook_size, dim, decay, beta
        self.encoder = Encoder(dim)
        self.decoder = Decoder(dim)
        self.register_buffer("codebook", torch.randn(codebook_size, dim) * 0.1)
        self.register_buffer("ema_count", torch.ones(codebook_size))
        self.register_buffer("ema_sum", self.codebook.clone())

    def nearest(self, z):
        """z: [B,D,h,w] -> codes [B,h,w] (int64)."""
        B, D, h, w = z.shape
        zf = z.permute(0, 2, 3, 1).reshape(-1, D)
        d = (zf * zf).sum(-1, keepdim=True) - 2 * zf @ self.codebook.t() + (self.codebook * self.codebook).sum(-1)
        return d.argmin(-1).reshape(B, h, w)

    def lookup(self, codes):
        return F.embedding(codes, self.codebook).permute(0, 3, 1, 2)

    def encode(self, x):
        return self.nearest(self.encoder(x))

    def decode(self, codes):
        return torch.sigmoid(self.decoder(self.lookup(codes)))

    def forward(self, x):
        z = self.encoder(x)
        codes = self.nearest(z)
        q = self.lookup(codes)
        if self.training:
            with torch.no_grad():
                onehot = F.one_hot(codes.reshape(-1), self.K).float()
                zf = z.permute(0, 2, 3, 1).reshape(-1, self.D)
                self.ema_count.mul_(self.decay).add_(onehot.sum(0), alpha=1 - self.decay)
                self.ema_sum.mul_(self.decay).add_(onehot.t() @ zf, alpha=1 - self.decay)
                n = self.ema_count.sum()
                count = (self.ema_count + 1e-5) / (n + self.K * 1e-5) * n
                self.codebook.copy_(self.ema_sum / count.unsqueeze(1))
        commit = F.mse_loss(z, q.detach())
        q_st = z + (q - z).detach()
        return self.decoder(q_st), commit, codes

    @torch.no_grad()
    def restart_dead(self, z_sample, threshold=0.5, gen=None):
        dead = (self.ema_count < threshold).nonzero().flatten()
        if dead.numel() == 0:
            return 0
        zf = z_sample.permute(0, 2, 3, 1).reshape(-1, self.D)
        pick = torch.randint(0, zf.shape[0], (dead.numel(),), generator=gen).to(zf.device)
        new = zf[pick] + 0.01 * torch.randn(dead.numel(), self.D, generator=gen).to(zf.device)
        self.codebook[dead] = new
        self.ema_sum[dead] = new
        self.ema_count[dead] = 1.0
        return dead.numel()


def train_vq(data, device, steps=2000, batch=128, lr=2e-3, codebook_size=512, dim=32, seed=0, log=print,
             minutes=None, augment_prob=0.3):
    """Up to `steps` steps, cut to `minutes` of wall time (see budget.py). A share `augment_prob` of each
    batch is darkened, brightened or shrunk (data.random_appearance): edit targets must be codable too."""
    from .budget import Budget, warmup_cosine
    from .data import random_appearance
    g = torch.Generator().manual_seed(seed)
    model = VQVAE(codebook_size, dim).to(device)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr)
    x = data["train_x"]
    n = x.shape[0]
    # initialise the codebook from encoder outputs
    with torch.no_grad():
        z0 = model.encoder(x[torch.randperm(n, generator=g)[:512]].to(device))
        zf = z0.permute(0, 2, 3, 1).reshape(-1, dim)
        model.codebook.copy_(zf[torch.randperm(zf.shape[0], generator=g)[:codebook_size].to(device)])
        model.ema_sum.copy_(model.codebook)
    bud = Budget(steps, minutes)
    model.train()
    step = 0
    while bud.progress(step) < 1.0:
        p = bud.progress(step)
        for gr in opt.param_groups:
            gr["lr"] = warmup_cosine(p, lr, warmup=0.05, floor=0.02)
        step += 1
        idx = torch.randint(0, n, (batch,), generator=g)
        xb = x[idx].to(device)
        if augment_prob > 0:
            xb = random_appearance(xb, g, prob=augment_prob)
        logits, commit, codes = model(xb)
        rec = F.binary_cross_entropy_with_logits(logits, xb)
        loss = rec + model.beta * commit
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        restarted = 0
        if step % 25 == 0 and p < 0.85:
            with torch.no_grad():
                restarted = model.restart_dead(model.encoder(xb), gen=g)
        if step % 100 == 0:
            used = (model.ema_count > 0.5).sum().item()
            mse = F.mse_loss(torch.sigmoid(logits), xb).item()
            log(f"[vq] step {step} progress {p:.2f} bce {rec.item():.4f} mse {mse:.4f} commit {commit.item():.4f} "
                f"codes used {used} restarted {restarted} ({bud.elapsed():.0f}s)")
    model.eval()
    model.steps_trained = step
    return model


@torch.no_grad()
def encode_all(model, x, device, batch=1000):
    return torch.cat([model.encode(x[i:i + batch].to(device)).cpu() for i in range(0, x.shape[0], batch)])


@torch.no_grad()
def decode_all(model, codes, device, batch=1000):
    return torch.cat([model.decode(codes[i:i + batch].to(device)).cpu() for i in range(0, codes.shape[0], batch)])
