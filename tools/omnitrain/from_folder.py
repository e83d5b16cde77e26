"""Load the networks of an exported model folder back into torch, to continue training from them.

The folder's config.json says its vocabulary; the new layout may have more text words (appended after the
old ones) and more positions. Rows move to their new ids: text words keep theirs, the specials, image codes
and [MASK] shift by the number of added words; new rows start from the mean of the old text rows. New
positions start as copies of the last old ones, counted back from the end (pos[p] = pos[p - added]), so
the model meets familiar vectors while it learns them apart."""
import json
import os

import onnx
import torch
from onnx import numpy_helper

from .transformer import UnifiedTransformer
from .vq import VQVAE


def _initializers(path):
    model = onnx.load(path)
    return model, {init.name: torch.from_numpy(numpy_helper.to_array(init).copy()) for init in model.graph.initializer}


def _matmul_weights(model, inits):
    """MatMul initializers in graph order (torch exports a Linear on 3-D input as MatMul by W^T)."""
    out = []
    for node in model.graph.node:
        if node.op_type == "MatMul":
            for name in node.input:
                if name in inits:
                    out.append(inits[name])
    return out


def old_to_new_ids(old_vocab, lay):
    """Index map new id -> old id (or -1 for a new text word)."""
    old_text = old_vocab["textVocabSize"]
    shift = lay.T - old_text
    assert shift >= 0, "the new vocabulary must extend the old one"
    mapping = torch.full((lay.vocab_size,), -1, dtype=torch.long)
    mapping[:old_text] = torch.arange(old_text)
    mapping[lay.T:] = torch.arange(old_text, old_vocab["vocabSize"])
    assert old_vocab["vocabSize"] + shift == lay.vocab_size, "only text words may be added"
    return mapping


def load_transformer(folder, lay, max_positions):
    cfg = json.load(open(os.path.join(folder, "config.json")))
    t = cfg["transformer"]
    model_onnx, inits = _initializers(os.path.join(folder, t["file"]))
    layers, width, heads = t["numLayers"], t["hiddenSize"], t["numHeads"]
    model = UnifiedTransformer(lay.vocab_size, width, layers, heads, max_positions)
    sd = model.state_dict()
    mats = _matmul_weights(model_onnx, inits)
    assert len(mats) == 4 * layers + 1, f"expected {4 * layers + 1} weight MatMuls, found {len(mats)}"
    for i in range(layers):
        qkv, proj, up, down = mats[4 * i: 4 * i + 4]
        sd[f"blocks.{i}.attn.qkv.weight"] = qkv.t().contiguous()
        sd[f"blocks.{i}.attn.proj.weight"] = proj.t().contiguous()
        sd[f"blocks.{i}.mlp.0.weight"] = up.t().contiguous()
        sd[f"blocks.{i}.mlp.2.weight"] = down.t().contiguous()
    for name in list(sd):
        key = "model." + name
        if key in inits and name not in ("tok.weight", "pos.weight"):
            sd[name] = inits[key]
    mapping = old_to_new_ids(cfg["vocabulary"], lay)
    old_tok, old_head = inits["model.tok.weight"], mats[-1].t()
    fresh = mapping < 0
    tok = old_tok[mapping.clamp(min=0)].clone()
    head = old_head[mapping.clamp(min=0)].clone()
    old_text = cfg["vocabulary"]["textVocabSize"]
    tok[fresh] = old_tok[3:old_text].mean(0) + 0.02 * torch.randn(int(fresh.sum()), width)
    head[fresh] = old_head[3:old_text].mean(0)
    sd["tok.weight"], sd["head.weight"] = tok, head
    old_pos = inits["model.pos.weight"]
    added = max_positions - old_pos.shape[0]
    assert added >= 0, "positions can only grow"
    pos = torch.empty(max_positions, width)
    pos[:old_pos.shape[0]] = old_pos
    for p in range(old_pos.shape[0], max_positions):
        pos[p] = pos[p - added] if added <= old_pos.shape[0] else old_pos[-1]
    sd["pos.weight"] = pos
    model.load_state_dict(sd)
    return model


def load_vq(folder, codebook_size):
    cfg = json.load(open(os.path.join(folder, "config.json")))["vq"]
    vq = VQVAE(codebook_size)
    sd = vq.state_dict()
    for path in (cfg["encoder"], cfg["decoder"]):
        _, inits = _initializers(os.path.join(folder, path))
        for key, value in inits.items():
            if key.startswith("vq."):
                sd[key[3:]] = value
    sd["ema_sum"] = sd["codebook"].clone()
    vq.load_state_dict(sd)
    return vq.eval()
