"""Python-side sanity metrics (labelled as such in MODEL_CARD.md)."""
import time

import torch

from .captions import CLASS_NAMES, MMU_DEFAULT_QUESTION, article, encode_words
from .classifier import classify
from .data import EDIT_INSTRUCTIONS, EDIT_FUNCS, object_stats
from .sampling import ar_image, edit_prefixes, maskgit, mmu_greedy, t2i_prefixes
from .vq import decode_all


def answer_class(words):
    """Index of the class whose name appears as a word sequence in the answer (longest match), else -1."""
    best, best_len = -1, 0
    for c, name in enumerate(CLASS_NAMES):
        cw = encode_words(name)
        for s in range(len(words) - len(cw) + 1):
            if words[s:s + len(cw)] == cw and len(cw) > best_len:
                best, best_len = c, len(cw)
    return best


def edit_success(e, src, out):
    """src, out: [B,1,28,28] pixels. Criteria for each instruction (Python-side definition)."""
    ms, mo = src.flatten(1).mean(1), out.flatten(1).mean(1)
    if e == 0:  # darker
        return mo < 0.85 * ms
    if e == 1:  # lighter
        return mo > 1.05 * ms
    if e == 2:  # flip: closer to the mirrored source than to the source
        d_flip = (out - src.flip(-1)).pow(2).flatten(1).mean(1)
        d_same = (out - src).pow(2).flatten(1).mean(1)
        return d_flip < d_same
    _, cs = object_stats(src)
    _, co = object_stats(out)
    return co < 0.8 * cs  # smaller


def evaluate(model, lay, vq, clf, test_x, test_y, test_codes, device, seed=0, per_class=10, mmu_n=500,
             edit_n=100, log=print):
    gen = torch.Generator().manual_seed(seed + 1234)
    res = {}
    t0 = time.time()
    labels = torch.arange(10).repeat_interleave(per_class)
    words = [encode_words(f"{article(CLASS_NAMES[c])} {CLASS_NAMES[c]}") for c in labels.tolist()]
    pre, spans, unc = t2i_prefixes(lay, words)
    for name, fn in (("t2i_maskgit_12steps_w2", lambda: maskgit(model, lay, pre, spans, unc, steps=12, guidance=2.0,
                                                                   gen=gen, device=device)),
                     ("t2i_ar_cfg_w2", lambda: ar_image(model, lay, pre, spans, unc, guidance=2.0, gen=gen,
                                                       device=device))):
        t = time.time()
        codes = fn().reshape(-1, *lay.grid).cpu()
        img = decode_all(vq, codes, device)
        pred = classify(clf, img, device)[0].argmax(1)
        res[name] = (pred == labels).float().mean().item()
        log(f"[eval] {name}: class accuracy {res[name]:.3f} over {len(labels)} images ({time.time() - t:.0f}s)")
    # image -> text, greedy, default question, held-out test images 0..mmu_n-1
    t = time.time()
    q = encode_words(MMU_DEFAULT_QUESTION)
    outs = []
    for i in range(0, mmu_n, 250):
        outs += mmu_greedy(model, lay, test_codes[i:min(mmu_n, i + 250)], q, device=device)
    pred = torch.tensor([answer_class(o) for o in outs])
    res["mmu_greedy_accuracy"] = (pred == test_y[:mmu_n]).float().mean().item()
    from .captions import WORDS
    inv = {i + 3: w for i, w in enumerate(WORDS)}
    log(f"[eval] mmu greedy accuracy {res['mmu_greedy_accuracy']:.3f} over {mmu_n} test images "
        f"({time.time() - t:.0f}s); e.g. {[' '.join(inv.get(t, '?') for t in o) for o in outs[:4]]}")
    # edits on held-out test images mmu_n .. mmu_n+edit_n-1
    sl = slice(mmu_n, mmu_n + edit_n)
    src = test_x[sl]
    src_rec = decode_all(vq, test_codes[sl].reshape(-1, *lay.grid), device)
    ys = test_y[sl]
    for e, ins in enumerate(EDIT_INSTRUCTIONS):
        pre, spans = edit_prefixes(lay, test_codes[sl].reshape(edit_n, -1), encode_words(ins))
        for mode in ("maskgit", "ar"):
            t = time.time()
            if mode == "maskgit":
                codes = maskgit(model, lay, pre, spans, None, steps=12, gen=gen, device=device)
            else:
                codes = ar_image(model, lay, pre, spans, None, temperature=1.0, gen=gen, device=device)
            out = decode_all(vq, codes.reshape(-1, *lay.grid).cpu(), device)
            ok = edit_success(e, src, out).float().mean().item()
            ok_rec = edit_success(e, src_rec, out).float().mean().item()
            kept = (classify(clf, out, device)[0].argmax(1) == ys).float().mean().item()
            res[f"edit[{ins}]_{mode}_success"] = ok
            res[f"edit[{ins}]_{mode}_class_kept"] = kept
            log(f"[eval] edit '{ins}' {mode}: success {ok:.3f} (vs reconstruction {ok_rec:.3f}), "
                f"class kept {kept:.3f} ({time.time() - t:.0f}s)")
    res["eval_seconds"] = time.time() - t0
    return res


@torch.no_grad()
def cache_check(model, lay, device):
    """Full forward vs prefill + one-token-at-a-time with the KV cache, on a t2i AR row with pads."""
    words = encode_words("a dark ankle boot")
    ids, span, _ = lay.t2i_row(words, list(range(lay.N)), "ar")
    ids_t = torch.tensor([ids], device=device)
    L = ids_t.shape[1]
    pos = torch.arange(L, device=device).unsqueeze(0)
    mask = lay.attention_mask(ids_t.cpu(), torch.tensor([span])).to(device).float()
    full, _ = model(ids_t, pos, mask)
    P = lay.t2i_prompt_length + 1
    pre, past = model(ids_t[:, :P], pos[:, :P], mask[:, :, :P, :P])
    diffs = [(pre - full[:, :P]).abs().max().item()]
    for j in range(P, L):
        lg, past = model(ids_t[:, j:j + 1], pos[:, j:j + 1], mask[:, :, j:j + 1, :j + 1], past)
        diffs.append((lg[:, 0] - full[:, j]).abs().max().item())
    return max(diffs)
