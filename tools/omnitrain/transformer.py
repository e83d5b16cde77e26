"""Pre-LN GPT-style unified transformer with learned positions, 4D attention mask and KV cache."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

NEG = -1e4  # additive value for blocked columns (finite: a fully blocked row stays NaN-free)


class Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h, self.dh = heads, d // heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x, add_mask, past_k=None, past_v=None):
        B, L = x.shape[0], x.shape[1]
        q, k, v = self.qkv(x).reshape(B, L, 3, self.h, self.dh).permute(2, 0, 3, 1, 4)
        if past_k is not None:
            k = torch.cat([past_k, k], dim=2)
            v = torch.cat([past_v, v], dim=2)
        att = (q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(self.dh)) + add_mask
        att = att.softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(B, L, self.h * self.dh)
        return self.proj(y), k, v


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.attn = Attention(d, heads)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, add_mask, past_k=None, past_v=None):
        a, k, v = self.attn(self.ln1(x), add_mask, past_k, past_v)
        x = x + a
        x = x + self.mlp(self.ln2(x))
        return x, k, v


class UnifiedTransformer(nn.Module):
    def __init__(self, vocab_size, d=128, layers=4, heads=4, max_positions=128):
        super().__init__()
        self.cfg = dict(vocab_size=vocab_size, d=d, layers=layers, heads=heads, max_positions=max_positions)
        self.tok = nn.Embedding(vocab_size, d)
        self.pos = nn.Embedding(max_positions, d)
        self.blocks = nn.ModuleList([Block(d, heads) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab_size, bias=False)
        self.apply(self._init)
        for b in self.blocks:
            nn.init.normal_(b.attn.proj.weight, std=0.02 / math.sqrt(2 * layers))
            nn.init.normal_(b.mlp[2].weight, std=0.02 / math.sqrt(2 * layers))

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.zeros_(m.bias)

    def hidden(self, ids, pos, mask, past=None):
        """mask: [B,1,L,P+L] float (1 attend / 0 blocked) or bool. Returns final hidden and presents."""
        add_mask = (1.0 - mask.to(torch.float32)) * NEG
        x = self.tok(ids) + self.pos(pos)
        presents = []
        for i, blk in enumerate(self.blocks):
            pk, pv = (past[i] if past is not None else (None, None))
            x, k, v = blk(x, add_mask, pk, pv)
            presents.append((k, v))
        return self.ln_f(x), presents

    def forward(self, ids, pos, mask, past=None):
        h, presents = self.hidden(ids, pos, mask, past)
        return self.head(h), presents


class OnnxWrapper(nn.Module):
    """Flat I/O for export: input_ids, position_ids, attention_mask, past k/v ... -> logits, present k/v ..."""

    def __init__(self, model):
        super().__init__()
        self.model = model
        self.n = model.cfg["layers"]

    def forward(self, input_ids, position_ids, attention_mask, *past_flat):
        past = [(past_flat[2 * i], past_flat[2 * i + 1]) for i in range(self.n)]
        logits, presents = self.model(input_ids, position_ids, attention_mask, past)
        out = [logits]
        for k, v in presents:
            out += [k, v]
        return tuple(out)
