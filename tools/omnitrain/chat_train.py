"""Continue training the unified transformer with the interleaved chat tasks mixed into the original five."""
import math
import random

import torch

from . import chat_rows as R
from .budget import Budget
from .captions import encode_words
from .data import EDIT_FUNCS, EDIT_INSTRUCTIONS
from .tf_train import TASK_WEIGHTS, TASKS, BatchMaker, adamw, begin_step, mask_positions, task_loss
from .vq import encode_all

CHAT_TASKS = ["say", "items", "edit_turns"]
for _name in CHAT_TASKS:
    if _name not in TASKS:
        TASKS.append(_name)
        TASK_WEIGHTS[_name] = 1.0
MODES = ["mask", "clean", "ar"]
MODE_WEIGHTS = [0.45, 0.35, 0.2]
# A first round (1,500 steps, 10/10/10 chat rows) learnt draw-then-say but not which item comes next nor
# the second edit turn: those rows now come more often as two or three items / two turns, and the masked
# image of an edit chat is mostly the last turn's.
ITEM_COUNT_WEIGHTS = [0.2, 0.4, 0.4]
TWO_TURNS = 0.7
LAST_TURN_MASKED = 0.75


def composed_edit_codes(vq, x, device):
    """codes[(e1, e2)] of e2(e1(x)) for every ordered pair of edits: [n, 49] each."""
    out = {}
    for e1, f1 in enumerate(EDIT_FUNCS):
        once = f1(x)
        for e2, f2 in enumerate(EDIT_FUNCS):
            out[(e1, e2)] = encode_all(vq, f2(once), device).reshape(x.shape[0], -1)
    return out


class ChatBatchMaker:
    def __init__(self, lay, codes, labels, dark, small, edit_codes, pair_codes, rng, drop_prob=0.1,
                 item_counts=None, last_item_masked=None, drawn_turns=None, drawn_prob=0.0):
        self.lay, self.codes, self.labels, self.dark, self.small = lay, codes, labels, dark, small
        self.edit_codes, self.pair_codes, self.rng, self.drop = edit_codes, pair_codes, rng, drop_prob
        self.item_counts = list(item_counts or ITEM_COUNT_WEIGHTS)
        # None keeps the uniform pick of earlier rounds (and their random draws); a probability masks the
        # last item that often: the last of three items sits on positions only three-item rows reach.
        self.last_item_masked = last_item_masked
        self.n_pairs = next(iter(pair_codes.values())).shape[0]
        # {e: [m, 49]}: the model's own first answers to edit e on the first m pair images (model_turns.py);
        # a two-turn row on one of them takes it as its first answer with probability drawn_prob.
        self.drawn_turns, self.drawn_prob = drawn_turns, drawn_prob

    def _mode(self):
        return self.rng.choices(MODES, MODE_WEIGHTS)[0]

    def _item(self):
        i = self.rng.randrange(self.codes.shape[0])
        label = int(self.labels[i])
        return i, label, R.item_phrase(label, bool(self.dark[i]), bool(self.small[i]), self.rng)

    def say(self):
        i, label, item = self._item()
        mode = self._mode()
        prompt = encode_words(R.say_prompt(item, self.rng))
        answer = encode_words(R.say_answer(label, bool(self.dark[i])))
        return R.draw_say_row(self.lay, prompt, self.codes[i].tolist(), answer, mode,
                              masked=mask_positions(self.lay.N, self.rng), drop_text=self.rng.random() < self.drop)

    def items(self):
        k = self.rng.choices(range(1, R.MAX_ITEMS + 1), self.item_counts)[0]
        picked = [self._item() for _ in range(k)]
        prompt = encode_words(R.items_prompt([p[2] for p in picked]))
        mode = self._mode()
        return R.items_row(self.lay, prompt, [encode_words(R.item_name(p[1])) for p in picked], [self.codes[p[0]].tolist() for p in picked], mode,
                           masked_at=self._masked_item(k), masked=mask_positions(self.lay.N, self.rng),
                           drop_text=self.rng.random() < self.drop)

    def _masked_item(self, k):
        if self.last_item_masked is None:
            return self.rng.randrange(k)
        return k - 1 if self.rng.random() < self.last_item_masked else self.rng.randrange(k)

    def edit_turns(self):
        n = 2 if self.rng.random() < TWO_TURNS else 1
        i = self.rng.randrange(self.n_pairs)
        es = [self.rng.randrange(len(EDIT_INSTRUCTIONS)) for _ in range(n)]
        targets = [self.edit_codes[es[0]][i]] + ([self.pair_codes[(es[0], es[1])][i]] if n == 2 else [])
        # Drawn only when asked, so earlier rounds' commands keep their random draws.
        drawn = (self.drawn_turns is not None and n == 2 and i < self.drawn_turns[es[0]].shape[0]
                 and self.rng.random() < self.drawn_prob)
        if drawn:
            targets[0] = self.drawn_turns[es[0]][i]
        turns = [(encode_words(R.turn_instruction(t, e, self.rng)), c.tolist()) for t, (e, c) in enumerate(zip(es, targets))]
        # The mode is drawn before the masked turn, as before the drawn turns existed (same draws, same rows).
        mode = self._mode()
        last_masked = drawn or self.rng.random() < LAST_TURN_MASKED  # the drawn first answer is never a target
        return R.edit_turns_row(self.lay, self.codes[i].tolist(), turns, mode,
                                masked_at=n - 1 if last_masked else self.rng.randrange(n),
                                masked=mask_positions(self.lay.N, self.rng), drawn_first=drawn)

    def groups(self, sizes):
        out = []
        for t, (name, n) in enumerate(zip(CHAT_TASKS, sizes)):
            rows = [getattr(self, name)() for _ in range(n)]
            out.append((self.lay.collate(rows), torch.full((n,), TASKS.index(name), dtype=torch.long)))
        return out


def continue_training(model, lay, codes, labels, dark, small, edit_codes, pair_codes, device, steps, minutes,
                      lr, seed, old_sizes, chat_sizes, log, warmup_frac=0.05, item_counts=None, last_item_masked=None,
                      drawn_turns=None, drawn_prob=0.0):
    torch.manual_seed(seed)
    model.to(device).train()
    opt = adamw(model, lr)
    old = BatchMaker(lay, codes, labels, dark, small, edit_codes, random.Random(seed))
    chat = ChatBatchMaker(lay, codes, labels, dark, small, edit_codes, pair_codes, random.Random(seed + 1),
                          item_counts=item_counts, last_item_masked=last_item_masked,
                          drawn_turns=drawn_turns, drawn_prob=drawn_prob)
    bud = Budget(steps, minutes)
    avg, step = {}, -1
    while bud.progress(step + 1) < 1.0:
        step += 1
        p, cur_lr = begin_step(opt, bud, step, lr, warmup_frac)
        groups = []
        if any(old_sizes[:3]):
            groups.append(old.group1(*old_sizes[:3]))
        if any(old_sizes[3:]):
            groups.append(old.group2(*old_sizes[3:]))
        groups += [g for g, n in zip(chat.groups(chat_sizes), chat_sizes) if n > 0]
        for batch, tasks in groups:
            loss, parts = task_loss(model, batch, tasks, device)
            loss.backward()
            for k, v in parts.items():
                avg[k] = 0.98 * avg.get(k, v) + 0.02 * v if not math.isnan(v) else avg.get(k, 0.0)
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if (step + 1) % 25 == 0 or step == 0:
            log(f"[chat] step {step + 1} progress {p:.3f} lr {cur_lr:.2e} " +
                " ".join(f"{k} {v:.3f}" for k, v in avg.items()) + f" ({bud.elapsed():.0f}s)")
    model.eval()
    model.steps_trained = step + 1
    return model

