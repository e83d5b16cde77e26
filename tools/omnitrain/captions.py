"""Word-level vocabulary, tokenizer.json, captions, questions/answers and edit instructions."""
import json
import random

from .data import EDIT_INSTRUCTIONS

CLASS_NAMES = ["t-shirt", "trouser", "pullover", "dress", "coat",
               "sandal", "shirt", "sneaker", "bag", "ankle boot"]

SPECIAL_TEXT = ["[UNK]", "<|bos|>", "<|eos|>"]
SPECIAL_TOKENS = ["<|pad|>", "<|soi|>", "<|eoi|>", "<|sov|>", "<|eov|>",
                  "<|t2i|>", "<|mmu|>", "<|t2v|>", "<|v2v|>", "<|lvg|>", "<|edit|>"]

# Questions and the answer style each one asks for.
#   "what is this ?" -> "a dark ankle boot"  (brightness attribute + class)
#   "what is it ?"   -> "an ankle boot"      (class only)
MMU_QUESTIONS = ["what is this ?", "what is it ?"]
MMU_DEFAULT_QUESTION = MMU_QUESTIONS[0]

T2I_TEMPLATES = [
    "{an} {cls}",
    "a photo of {an} {cls}",
    "a {bright} {cls}",
    "a photo of a {bright} {cls}",
    "a {size} {cls}",
    "a {size} {bright} {cls}",
]


# Words of the interleaved chat prompts (omnitrain/chat_rows.py): "draw a bag and tell me what it is",
# "draw a sneaker then a bag", "now flip it".
CHAT_WORDS = ["draw", "and", "tell", "me", "then", "now", "say"]


def article(word):
    return "an" if word[0] in "aeiou" else "a"


def _words():
    words = ["a", "an", "photo", "of", "dark", "light", "small", "large"]
    for name in CLASS_NAMES:
        words += name.split()
    for q in MMU_QUESTIONS:
        words += q.split()
    for ins in EDIT_INSTRUCTIONS:
        words += ins.split()
    words += CHAT_WORDS  # appended last: every earlier word keeps its id (models/default continues from them)
    seen = []
    for w in words:
        if w not in seen:
            seen.append(w)
    return seen


WORDS = _words()
VOCAB = {tok: i for i, tok in enumerate(SPECIAL_TEXT + WORDS)}
TEXT_VOCAB_SIZE = len(VOCAB)


def encode_words(text):
    """Same behaviour as tokenizer.json: lowercase, split on whitespace, word-level lookup."""
    return [VOCAB.get(w, 0) for w in text.lower().split()]


def tokenizer_json():
    added = [{"id": i, "content": tok, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for i, tok in enumerate(SPECIAL_TEXT)]
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "WhitespaceSplit"},
        "post_processor": None,
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": VOCAB, "unk_token": "[UNK]"},
    }


def write_tokenizer(path):
    with open(path, "w") as f:
        json.dump(tokenizer_json(), f, indent=1)


def t2i_caption(label, dark, small, rng: random.Random):
    cls = CLASS_NAMES[label]
    tpl = rng.choice(T2I_TEMPLATES)
    return tpl.format(an=article(cls), cls=cls, bright="dark" if dark else "light",
                      size="small" if small else "large")


def mmu_answer(label, dark, question_index):
    cls = CLASS_NAMES[label]
    if question_index == 0:
        return f"a {'dark' if dark else 'light'} {cls}"
    return f"{article(cls)} {cls}"


def max_caption_words():
    return max(len(t.format(an="an", cls="ankle boot", bright="light", size="small").split())
               for t in T2I_TEMPLATES)
