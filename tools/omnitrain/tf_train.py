"""Joint training of the unified transformer on t2i (masked + AR), image->text and editing."""
import math
import random
import time

import torch
import torch.nn.functional as F

from .budget import Budget, warmup_cosine

from .captions import MMU_QUESTIONS, encode_words, mmu_answer, t2i_caption
from .data import EDIT_INSTRUCTIONS
from .layout import IGNORE
from .transformer import UnifiedTransformer

TASKS = ["t2i_mask", "t2i_ar", "mmu", "edit_mask", "edit_ar"]
TASK_WEIGHTS = {"t2i_mask": 1.0, "t2i_ar": 1.0, "mmu": 1.0, "edit_mask": 1.0, "edit_ar": 1.0}


def mask_positions(n, rng: random.Random):
    ratio = math.cos(math.pi / 2 * rng.random())
    k = min(n, max(1, int(round(ratio * n))))
    chosen = set(rng.sample(range(n), k))
    return [i in chosen for i in range(n)]


class BatchMaker:
    def __init__(self, layout, codes, labels, dark, small, edit_codes, rng, drop_prob=0.1):
        self.lay, self.codes, self.labels = layout, codes, labels
        self.dark, self.small, self.edit_codes = dark, small, edit_codes
        self.rng, self.drop = rng, drop_prob
        self.instr_words = [encode_words(s) for s in EDIT_INSTRUCTIONS]
        self.q_words = [encode_words(q) for q in MMU_QUESTIONS]

    def _pick(self):
        return self.rng.randrange(self.codes.shape[0])

    def _caption_words(self, i):
        if self.rng.random() < self.drop:
            return []
        return encode_words(t2i_caption(int(self.labels[i]), bool(self.dark[i]), bool(self.small[i]), self.rng))

    def group1(self, n_mask, n_ar, n_mmu):
        rows, tasks = [], []
        for _ in range(n_mask):
            i = self._pick()
            rows.append(self.lay.t2i_row(self._caption_words(i), self.codes[i].tolist(), "mask",
                                         mask_positions(self.lay.N, self.rng)))
            tasks.append(0)
        for _ in range(n_ar):
            i = self._pick()
            rows.append(self.lay.t2i_row(self._caption_words(i), self.codes[i].tolist(), "ar"))
            tasks.append(1)
        for _ in range(n_mmu):
            i = self._pick()
            qi = self.rng.randrange(len(MMU_QUESTIONS))
            ans = encode_words(mmu_answer(int(self.labels[i]), bool(self.dark[i]), qi))
            rows.append(self.lay.mmu_row(self.codes[i].tolist(), self.q_words[qi], ans))
            tasks.append(2)
        return self.lay.collate(rows, self.lay.t2i_length), torch.tensor(tasks)

    def group2(self, n_mask, n_ar):
        rows, tasks = [], []
        for j in range(n_mask + n_ar):
            i = self.rng.randrange(self.edit_codes[0].shape[0])  # edit pairs exist for the first E images
            e = self.rng.randrange(len(EDIT_INSTRUCTIONS))
            a = self.codes[i].tolist()
            b = self.edit_codes[e][i].tolist()
            if j < n_mask:
                rows.append(self.lay.edit_row(a, self.instr_words[e], b, "mask", mask_positions(self.lay.N, self.rng)))
                tasks.append(3)
            else:
                rows.append(self.lay.edit_row(a, self.instr_words[e], b, "ar"))
                tasks.append(4)
        return self.lay.collate(rows, self.lay.edit_length), torch.tensor(tasks)


class _BatchStream(torch.utils.data.IterableDataset):
    """Endless (group1, group2) batches; each DataLoader worker draws from its own seeded RNG, so a run with a
    fixed worker count is reproducible."""

    def __init__(self, layout, codes, labels, dark, small, edit_codes, seed, sizes):
        super().__init__()
        self.args = (layout, codes, labels, dark, small, edit_codes)
        self.seed, self.sizes = seed, sizes

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        wid = 0 if info is None else info.id
        maker = BatchMaker(*self.args, random.Random(self.seed * 1000 + wid))
        while True:
            yield maker.group1(*self.sizes[:3]) + maker.group2(*self.sizes[3:])


def _batches(layout, codes, labels, dark, small, edit_codes, seed, sizes, workers):
    if workers <= 0:
        maker = BatchMaker(layout, codes, labels, dark, small, edit_codes, random.Random(seed))
        while True:
            yield maker.group1(*sizes[:3]) + maker.group2(*sizes[3:])
    stream = _BatchStream(layout, codes, labels, dark, small, edit_codes, seed, sizes)
    loader = torch.utils.data.DataLoader(stream, batch_size=None, num_workers=workers, prefetch_factor=4,
                                         persistent_workers=False)
    yield from loader


def task_loss(model, batch, tasks, device):
    (ids, pos, mask, tgt) = [t.to(device) for t in batch]
    h, _ = model.hidden(ids, pos, mask)
    sel = tgt != IGNORE
    logits = model.head(h[sel])
    ce = F.cross_entropy(logits, tgt[sel], reduction="none")
    row_task = tasks.to(device).unsqueeze(1).expand_as(tgt)[sel]
    total, parts = 0.0, {}
    for t in row_task.unique().tolist():
        m = row_task == t
        l = ce[m].mean()
        parts[TASKS[t]] = l.item()
        total = total + TASK_WEIGHTS[TASKS[t]] * l
    return total, parts


def adamw(model, lr):
    """AdamW with weight decay on matrices only (the recipe of every transformer stage)."""
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    return torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}],
                             lr=lr, betas=(0.9, 0.98))


def begin_step(opt, bud, step, lr, warmup_frac):
    """Sets this step's learning rate from the budget's progress and clears gradients; returns (progress, lr)."""
    p = bud.progress(step)
    cur_lr = warmup_cosine(p, lr, warmup=warmup_frac, floor=0.05)
    for g in opt.param_groups:
        g["lr"] = cur_lr
    opt.zero_grad(set_to_none=True)
    return p, cur_lr


def train_transformer(layout, codes, labels, dark, small, edit_codes, device, steps, d=192, layers=4, heads=6,
                      max_positions=128, lr=1e-3, warmup_frac=0.06, seed=0, sizes=(48, 24, 16, 12, 12), log=print,
                      minutes=None, workers=0):
    """Up to `steps` AdamW steps, cut to `minutes` of wall time (see budget.py)."""
    torch.manual_seed(seed)
    model = UnifiedTransformer(layout.vocab_size, d, layers, heads, max_positions).to(device)
    opt = adamw(model, lr)

    batches = _batches(layout, codes, labels, dark, small, edit_codes, seed, sizes, workers)
    t0 = time.time()
    avg = {}
    model.train()
    bud = Budget(steps, minutes)
    step = -1
    while bud.progress(step + 1) < 1.0:
        step += 1
        p, cur_lr = begin_step(opt, bud, step, lr, warmup_frac)
        b1, t1, b2, t2 = next(batches)
        loss1, parts1 = task_loss(model, b1, t1, device)
        loss1.backward()
        loss2, parts2 = task_loss(model, b2, t2, device)
        loss2.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        for k, v in {**parts1, **parts2}.items():
            avg[k] = 0.98 * avg.get(k, v) + 0.02 * v
        if (step + 1) % 25 == 0 or step == 0:
            log(f"[tf] step {step + 1} progress {p:.3f} lr {cur_lr:.2e} " +
                " ".join(f"{k} {v:.3f}" for k, v in avg.items()) + f" ({bud.elapsed():.0f}s)")
    model.eval()
    model.steps_trained = step + 1
    return model
