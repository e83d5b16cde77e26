"""Python-side samplers, used only for sanity metrics (the TypeScript engine is the real decoder)."""
import math

import torch

from .layout import BOS, EOS


def _gumbel(shape, gen, device):
    u = torch.rand(shape, generator=gen).to(device).clamp(1e-9, 1 - 1e-9)
    return -torch.log(-torch.log(u))


@torch.no_grad()
def maskgit(model, lay, prefixes, prefix_spans, uncond_prefixes=None, steps=12, guidance=2.0,
            choice_temperature=4.5, gen=None, device="cpu", img_span_id=3):
    """Fill N masked codes after each prefix (+<|soi|>). CFG in Show-o form (1+w)c - w u when uncond given."""
    N, K, off = lay.N, lay.K, lay.img_off
    B = len(prefixes)
    allp = list(prefixes) + (list(uncond_prefixes) if uncond_prefixes is not None else [])
    allspan = list(prefix_spans) + ([[0] * len(p) for p in uncond_prefixes] if uncond_prefixes is not None else [])
    P = len(allp[0])
    ids = torch.tensor([p + [lay.SOI] + [lay.MASK] * N + [lay.EOI] for p in allp], device=device)
    span = torch.tensor([s + [0] + [img_span_id] * N + [0] for s in allspan], device=device)
    L = ids.shape[1]
    pos = torch.arange(L, device=device).unsqueeze(0).expand(ids.shape[0], L)
    mask = lay.attention_mask(ids.cpu(), span.cpu()).to(device).float()
    codes = torch.full((B, N), -1, dtype=torch.long, device=device)
    sl = slice(P + 1, P + 1 + N)
    for s in range(steps):
        r = (s + 1) / steps
        cur = torch.where(codes >= 0, codes + off, torch.full_like(codes, lay.MASK))
        ids[:B, sl] = cur
        if uncond_prefixes is not None:
            ids[B:, sl] = cur
        logits, _ = model(ids, pos, mask)
        lg = logits[:, sl, off:off + K]
        if uncond_prefixes is not None:
            lg = (1 + guidance) * lg[:B] - guidance * lg[B:]
        logp = lg.log_softmax(-1)
        sampled = torch.multinomial(logp.exp().reshape(-1, K), 1, generator=gen).reshape(B, N) if gen is None or device == "cpu" \
            else torch.multinomial(logp.exp().reshape(-1, K), 1).reshape(B, N)
        unknown = codes < 0
        sampled = torch.where(unknown, sampled, codes)
        conf = logp.gather(-1, sampled.unsqueeze(-1)).squeeze(-1)
        conf = conf + choice_temperature * (1 - r) * _gumbel(conf.shape, gen, device)
        conf = torch.where(unknown, conf, torch.full_like(conf, float("inf")))
        if s == steps - 1:
            codes = sampled
            break
        n_unknown = unknown.sum(1)
        mask_len = torch.floor(torch.tensor(N * math.cos(math.pi / 2 * r), device=device)).long()
        mask_len = torch.clamp(torch.minimum(mask_len.expand(B), n_unknown - 1), min=1)
        order = conf.argsort(1)
        rank = order.argsort(1)
        remask = rank < mask_len.unsqueeze(1)
        codes = torch.where(remask, torch.full_like(sampled, -1), sampled)
    return codes


@torch.no_grad()
def _prefill(model, lay, rows, spans, device):
    ids = torch.tensor(rows, device=device)
    span = torch.tensor(spans, device=device)
    L = ids.shape[1]
    pos = torch.arange(L, device=device).unsqueeze(0).expand(ids.shape[0], L)
    mask = lay.attention_mask(ids.cpu(), span.cpu()).to(device).float()
    logits, past = model(ids, pos, mask)
    col_ok = (ids != lay.PAD).float()  # later rows may attend every non-pad column
    return logits[:, -1], past, col_ok, L


@torch.no_grad()
def _step(model, tok, past, col_ok, L):
    B = tok.shape[0]
    col_ok = torch.cat([col_ok, torch.ones(B, 1, device=tok.device)], 1)
    mask = col_ok.view(B, 1, 1, -1)
    pos = torch.full((B, 1), L, dtype=torch.long, device=tok.device)
    logits, past = model(tok.view(B, 1), pos, mask, past)
    return logits[:, -1], past, col_ok, L + 1


@torch.no_grad()
def ar_image(model, lay, prefixes, prefix_spans, uncond_prefixes=None, guidance=2.0, temperature=1.0,
             top_k=None, gen=None, device="cpu"):
    """AR raster decoding of N codes after prefix + <|soi|> with a KV cache; CFG standard form u + s(c-u)
    with s = 1 + guidance (identical to Show-o's (1+w)c - w u)."""
    B = len(prefixes)
    rows = [p + [lay.SOI] for p in prefixes]
    spans = [s + [0] for s in prefix_spans]
    if uncond_prefixes is not None:
        rows += [p + [lay.SOI] for p in uncond_prefixes]
        spans += [[0] * (len(p) + 1) for p in uncond_prefixes]
    last, past, col_ok, L = _prefill(model, lay, rows, spans, device)
    off, K = lay.img_off, lay.K
    out = []
    for _ in range(lay.N):
        lg = last[:, off:off + K]
        if uncond_prefixes is not None:
            lg = (1 + guidance) * lg[:B] - guidance * lg[B:]
        lg = lg / temperature
        if top_k is not None:
            kth = lg.topk(top_k, -1).values[:, -1:]
            lg = lg.masked_fill(lg < kth, float("-inf"))
        c = torch.multinomial(lg.softmax(-1), 1, generator=gen if device == "cpu" else None).squeeze(1)
        out.append(c)
        tok = c + off
        if uncond_prefixes is not None:
            tok = torch.cat([tok, tok])
        last, past, col_ok, L = _step(model, tok, past, col_ok, L)
    return torch.stack(out, 1)


@torch.no_grad()
def mmu_greedy(model, lay, codes, question_words, max_tokens=8, device="cpu"):
    rows, spans = [], []
    for c in codes:
        r, s = lay.mmu_prefix(c.tolist(), question_words)
        rows.append(r)
        spans.append(s)
    last, past, col_ok, L = _prefill(model, lay, rows, spans, device)
    B = len(rows)
    out = [[] for _ in range(B)]
    done = torch.zeros(B, dtype=torch.bool, device=device)
    for _ in range(max_tokens):
        tok = last[:, :lay.T].argmax(-1)  # text columns only
        for i in range(B):
            if not done[i]:
                if tok[i].item() == EOS:
                    done[i] = True
                else:
                    out[i].append(tok[i].item())
        if done.all():
            break
        last, past, col_ok, L = _step(model, tok, past, col_ok, L)
    return out


def t2i_prefixes(lay, words_list):
    pre = [lay.t2i_prefix(w) for w in words_list]
    return pre, [[0] * len(p) for p in pre], [lay.t2i_prefix([]) for _ in words_list]


def edit_prefixes(lay, a_codes, instr_words):
    pre, spans = [], []
    for a in a_codes:
        p, s = lay.edit_prefix(a.tolist(), instr_words)
        pre.append(p)
        spans.append(s)
    return pre, spans
