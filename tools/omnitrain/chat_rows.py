"""Interleaved chat rows (docs/model-format.md, "Chat layout"): the model decides itself when to open an image.

    <|lvg|> [<|soi|> A <|eoi|>] ( <|bos|> user words <|eos|>  answer )*
    answer = ( <|soi|> 49 codes <|eoi|> | words )* <|eos|>

Several items are answered item by item, each named in two words before it is drawn ("a sneaker <|soi|> ..
<|eoi|> ankle boot <|soi|> .. <|eoi|> <|eos|>"): the image follows the words it depicts, as a text->image
image follows its prompt, and the count is a copy of the asked items rather than a count the model keeps.
Two words whatever the item, so every item's name and image sit at fixed positions: this model binds by
absolute position (a chat round whose names were the asked phrases, 2-5 words, drew the asked class for
55% of first items, against 92% for "draw X and say", whose class word and image never move).

An image is a bidirectional block when decoded in parallel (MaskGIT), causal when decoded AR: the engine
lays out a stream's images the same way. Three row modes per task:
  mask  - one answer image partly [MASK]ed, loss on its masked codes; images before it clean; the row ends
          at that image's <|eoi|> (text after a masked image would learn from a half-made picture);
  clean - every image clean (blocks), loss on the text the model writes: <|soi|> where an image opens,
          <|eos|> where the answer ends, captions after images;
  ar    - every answer image causal, loss on its codes and on the text as in clean.
"""
import random

from .captions import CLASS_NAMES, article, encode_words, mmu_answer
from .data import EDIT_INSTRUCTIONS
from .layout import BOS, EOS, IGNORE

SAY_TEMPLATES = ["draw {item} and tell me what it is", "draw {item} and say what it is"]
ITEM_TEMPLATES = ["{an} {cls}", "a {bright} {cls}", "a {size} {cls}", "a {size} {bright} {cls}"]
MAX_ITEMS = 3
MAX_EDIT_TURNS = 2
# Every user turn is left-padded to this many positions (<|bos|> words <|eos|> at its end), so each image a
# trained answer opens starts at the same position whatever the words: positions are learned absolutely,
# and the base model only ever saw its images at fixed positions (a first chat model with unpadded turns
# drew the right class for one item but not for the second and third, nor kept the class on a second edit).
USER_TURN_LENGTH = 24
# A user turn right after an image (the chat's given image, or an answer that ended with one) is padded to
# this instead, when its words fit: the first edit turn's image then lands on exactly the positions of the
# base model's edit rows (<|edit|> <|soi|> A <|eoi|> <|bos|> 4 words <|eos|> <|soi|> B), 57 after its
# source, and each later turn's image about as far after the one it edits.
IMAGE_TURN_LENGTH = 6


def item_phrase(label, dark, small, rng: random.Random):
    cls = CLASS_NAMES[label]
    return rng.choice(ITEM_TEMPLATES).format(an=article(cls), cls=cls, bright="dark" if dark else "light",
                                             size="small" if small else "large")


def item_name(label):
    """Two words: `a <class>` for the one-word classes, the class itself for `ankle boot`."""
    cls = CLASS_NAMES[label]
    return cls if " " in cls else f"{article(cls)} {cls}"


def say_prompt(item, rng: random.Random):
    return rng.choice(SAY_TEMPLATES).format(item=item)


def items_prompt(items):
    return "draw " + " then ".join(items)


def say_answer(label, dark):
    return "it is " + mmu_answer(label, dark, 0)


def turn_instruction(turn, e, rng: random.Random):
    text = EDIT_INSTRUCTIONS[e]
    return ("now " + text) if turn > 0 and rng.random() < 0.5 else text


class ChatRow:
    """Builds one row left to right: ids, span (block id per position, 0 = causal) and targets."""

    def __init__(self, lay, drop_text=False):
        self.lay, self.drop = lay, drop_text
        self.ids, self.span, self.tgt = [lay.LVG], [0], [IGNORE]
        self.blocks = 0

    def text(self, words, learn=False):
        for w in words:
            self._put(self.lay.PAD if self.drop and w < self.lay.T else w, w, learn)

    def _put(self, token, target_of_prev, learn):
        if learn and self.ids[-1] != self.lay.PAD:  # a pad row sees only itself: nothing to learn there
            self.tgt[-1] = target_of_prev
        self.ids.append(token)
        self.span.append(0)
        self.tgt.append(IGNORE)

    def image(self, codes, kind, learn_soi=False, masked=None, learn_codes=True):
        """kind: 'clean' (block), 'mask' (block, [MASK] where masked, loss there) or 'ar' (causal, loss on
        codes unless learn_codes is False: a picture the model drew itself is context, not a target)."""
        self._put(self.lay.SOI, self.lay.SOI, learn_soi)
        ids = [self.lay.img_off + int(c) for c in codes]
        if kind == "ar":
            for c in ids:
                self._put(c, c, learn_codes)
        else:
            self.blocks += 1
            for j, c in enumerate(ids):
                hide = kind == "mask" and masked[j]
                self.ids.append(self.lay.MASK if hide else c)
                self.span.append(self.blocks)
                self.tgt.append(c if hide else IGNORE)
        self._put(self.lay.EOI, self.lay.EOI, kind == "ar" and learn_codes)

    def user(self, words, after_image=False):
        length = IMAGE_TURN_LENGTH if after_image and len(words) + 2 <= IMAGE_TURN_LENGTH else USER_TURN_LENGTH
        pad = length - len(words) - 2
        assert pad >= 0, "user turn too long"
        self.text([self.lay.PAD] * pad + [BOS] + list(words) + [EOS])

    def row(self):
        assert len(self.ids) <= self.lay.max_positions, f"chat row of {len(self.ids)} positions"
        return self.ids, self.span, self.tgt


def draw_say_row(lay, prompt_words, codes, answer_words, mode, masked=None, drop_text=False):
    r = ChatRow(lay, drop_text and mode == "mask")
    r.user(prompt_words)
    if mode == "mask":
        r.image(codes, "mask", learn_soi=False, masked=masked)
        return r.row()
    r.image(codes, "ar" if mode == "ar" else "clean", learn_soi=True)
    r.text(list(answer_words) + [EOS], learn=True)
    return r.row()


def items_row(lay, prompt_words, item_words, codes_list, mode, masked_at=None, masked=None, drop_text=False):
    """item_words: each item's two-word name (item_name); the answer names each before drawing it."""
    r = ChatRow(lay, drop_text and mode == "mask")
    r.user(prompt_words)
    for j, (name, codes) in enumerate(zip(item_words, codes_list)):
        r.text(name, learn=mode != "mask")
        if mode == "mask":
            if j == masked_at:
                r.image(codes, "mask", learn_soi=False, masked=masked)
                return r.row()
            r.image(codes, "clean", learn_soi=True)
        else:
            r.image(codes, "ar" if mode == "ar" else "clean", learn_soi=True)
    r.text([EOS], learn=True)
    return r.row()


def edit_turns_row(lay, src_codes, turns, mode, masked_at=None, masked=None, drawn_first=False):
    """turns: [(instruction words, target codes)]; each answer is one image then <|eos|>. drawn_first: the
    first answer is a picture the model drew (omnitrain/model_turns.py), context without loss on its codes."""
    r = ChatRow(lay)
    r.image(src_codes, "clean")
    for j, (words, codes) in enumerate(turns):
        if j > 0:
            r.text([EOS], learn=True)
        r.user(words, after_image=True)
        if mode == "mask" and j == masked_at:
            r.image(codes, "mask", masked=masked)
            return r.row()
        r.image(codes, "ar" if mode == "ar" else "clean", learn_soi=True, learn_codes=not (drawn_first and j == 0))
    r.text([EOS], learn=True)
    return r.row()


def words(text):
    return encode_words(text)
