"""Unified vocabulary ids, sequence layouts and attention masks (docs/model-format.md)."""
import torch

from .captions import SPECIAL_TOKENS, TEXT_VOCAB_SIZE

BOS, EOS, UNK = 1, 2, 0
IGNORE = -100


class Layout:
    def __init__(self, codebook_size, grid=(7, 7), t2i_prompt_length=12, edit_instruction_words=4,
                 max_positions=224):
        self.T = TEXT_VOCAB_SIZE
        self.K = codebook_size
        self.grid = grid
        self.N = grid[0] * grid[1]
        sp = {name: self.T + i for i, name in enumerate(SPECIAL_TOKENS)}
        self.PAD, self.SOI, self.EOI = sp["<|pad|>"], sp["<|soi|>"], sp["<|eoi|>"]
        self.T2I, self.MMU, self.EDIT = sp["<|t2i|>"], sp["<|mmu|>"], sp["<|edit|>"]
        self.LVG = sp["<|lvg|>"]  # opens an interleaved chat (omnitrain/chat_rows.py)
        # Three 49-code images with their text (a two-turn edit chat is 167 positions, three items 169)
        self.max_positions = max_positions
        self.img_off = self.T + len(SPECIAL_TOKENS)
        self.MASK = self.img_off + self.K
        self.vocab_size = self.MASK + 1
        self.t2i_prompt_length = t2i_prompt_length
        # <|edit|> <|soi|> A <|eoi|> <|bos|> instruction <|eos|>
        self.edit_prompt_length = 1 + 1 + self.N + 1 + 1 + edit_instruction_words + 1
        self.t2i_length = t2i_prompt_length + 1 + self.N + 1
        self.edit_length = self.edit_prompt_length + 1 + self.N + 1

    # ---- rows: (ids, span, targets); span>0 marks a bidirectional image-code block ----
    def t2i_prefix(self, words):
        p = [self.T2I, BOS] + list(words) + [EOS]
        assert len(p) <= self.t2i_prompt_length, "prompt too long"
        return [self.PAD] * (self.t2i_prompt_length - len(p)) + p

    def t2i_row(self, words, codes, mode, masked=None):
        """mode 'mask': codes given with some replaced by [MASK] (bool list masked), loss on masked.
        mode 'ar': causal codes, next-token loss on codes and <|eoi|>."""
        prefix = self.t2i_prefix(words)
        return self._image_target_row(prefix, codes, mode, masked, span_before=[0] * len(prefix))

    def edit_prefix(self, a_codes, instr_words):
        p = [self.EDIT, self.SOI] + [self.img_off + int(c) for c in a_codes] + [self.EOI, BOS] + list(instr_words) + [EOS]
        assert len(p) <= self.edit_prompt_length, "instruction too long"
        pad = self.edit_prompt_length - len(p)
        span = [0] * pad + [0, 0] + [1] * self.N + [0] * (len(p) - 2 - self.N)
        return [self.PAD] * pad + p, span

    def edit_row(self, a_codes, instr_words, b_codes, mode, masked=None):
        prefix, span = self.edit_prefix(a_codes, instr_words)
        return self._image_target_row(prefix, b_codes, mode, masked, span_before=span, span_id=2)

    def _image_target_row(self, prefix, codes, mode, masked, span_before, span_id=1):
        ids = list(prefix) + [self.SOI]
        span = list(span_before) + [0]
        tgt = [IGNORE] * len(ids)
        soi = len(ids) - 1
        code_ids = [self.img_off + int(c) for c in codes]
        if mode == "mask":
            for c, m in zip(code_ids, masked):
                ids.append(self.MASK if m else c)
                tgt.append(c if m else IGNORE)
                span.append(span_id)
        else:
            ids += code_ids
            span += [0] * self.N
            tgt += [IGNORE] * self.N
        ids.append(self.EOI)
        span.append(0)
        tgt.append(IGNORE)
        if mode == "ar":
            for p in range(soi, len(ids) - 1):
                tgt[p] = ids[p + 1]
        return ids, span, tgt

    def mmu_prefix(self, codes, question_words):
        ids = [self.MMU, self.SOI] + [self.img_off + int(c) for c in codes] + [self.EOI, BOS] + list(question_words)
        span = [0, 0] + [1] * self.N + [0] * (2 + len(question_words))
        return ids, span

    def mmu_row(self, codes, question_words, answer_words):
        ids, span = self.mmu_prefix(codes, question_words)
        start = len(ids)
        ids = ids + list(answer_words) + [EOS]
        span = span + [0] * (len(answer_words) + 1)
        tgt = [IGNORE] * len(ids)
        for p in range(start - 1, len(ids) - 1):
            tgt[p] = ids[p + 1]
        return ids, span, tgt

    # ---- batching ----
    def collate(self, rows, length=None):
        L = max(len(r[0]) for r in rows) if length is None else length
        ids = torch.full((len(rows), L), self.PAD, dtype=torch.long)
        span = torch.zeros((len(rows), L), dtype=torch.long)
        tgt = torch.full((len(rows), L), IGNORE, dtype=torch.long)
        for i, (a, s, t) in enumerate(rows):  # right-pad (pads are blocked columns, positions continue)
            ids[i, :len(a)] = torch.tensor(a)
            span[i, :len(s)] = torch.tensor(s)
            tgt[i, :len(t)] = torch.tensor(t)
        pos = torch.arange(L).unsqueeze(0).expand(len(rows), L).contiguous()
        mask = self.attention_mask(ids, span)
        return ids, pos, mask, tgt

    def attention_mask(self, ids, span):
        """ids, span: [B,L] -> bool [B,1,L,L] (True = may attend)."""
        B, L = ids.shape
        causal = torch.ones(L, L, dtype=torch.bool).tril()
        same = (span.unsqueeze(2) == span.unsqueeze(1)) & (span.unsqueeze(2) > 0)
        pad = ids == self.PAD
        allowed = (causal.unsqueeze(0) | same) & ~pad.unsqueeze(1)
        eye = torch.eye(L, dtype=torch.bool).unsqueeze(0)
        allowed = torch.where(pad.unsqueeze(2), eye, allowed)
        return allowed.unsqueeze(1)
