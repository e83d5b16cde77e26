"""First edit turns drawn by the model itself, for the second turn's context.

A two-turn edit chat's first answer is, at inference, the model's own picture; training showed the second
turn only the exact pixel edit. Rows whose first answer is a picture the model drew, with the exact second
edit as target, show the second turn the drift it meets at inference. Round 12 trained with them
(MODEL_CARD.md, "Interleaved chat"): the second turn kept the class on 75.0% of 300 chats against round 10's
77.0%, so that drift was not what held it back.
"""
import torch

from . import chat_rows as R
from .captions import encode_words
from .data import EDIT_INSTRUCTIONS
from .sampling import maskgit

# The engine's maskgit default (src/schedulers/maskgit: choiceTemperature 1), without guidance as a chat
# that starts from an image decodes (src/pipeline/chat-run.ts).
CHOICE_TEMPERATURE = 1.0


def first_turn_prefix(lay, src_codes, instruction_words):
    r = R.ChatRow(lay)
    r.image(src_codes, "clean")
    r.user(instruction_words, after_image=True)
    return r.ids, r.span


@torch.no_grad()
def model_first_turns(model, lay, codes, steps, seed, device, batch=250):
    """{e: [n, 49] codes the model draws for `EDIT_INSTRUCTIONS[e]` on each of `codes` [n, 49]} (maskgit)."""
    model.eval()
    gen = torch.Generator().manual_seed(seed)
    out = {}
    for e, text in enumerate(EDIT_INSTRUCTIONS):
        words = encode_words(text)
        parts = []
        for start in range(0, codes.shape[0], batch):
            rows = [first_turn_prefix(lay, c.tolist(), words) for c in codes[start:start + batch]]
            parts.append(maskgit(model, lay, [r[0] for r in rows], [r[1] for r in rows], steps=steps,
                                 choice_temperature=CHOICE_TEMPERATURE, gen=gen, device=device, img_span_id=2).cpu())
        out[e] = torch.cat(parts)
    model.train()
    return out
