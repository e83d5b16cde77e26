"""ONNX exports, config.json and fid-stats.json."""
import json
import os

import onnx
import torch
import torch.nn as nn

from .transformer import OnnxWrapper

OPSET = 14


def _check(path):
    m = onnx.load(path)
    onnx.checker.check_model(m)
    return m


class _ClassifierExport(nn.Module):
    def __init__(self, clf):
        super().__init__()
        self.clf = clf

    def forward(self, pixels):
        return self.clf(pixels)


class _EncoderExport(nn.Module):
    def __init__(self, vq):
        super().__init__()
        self.vq = vq

    def forward(self, pixels):
        return self.vq.encode(pixels)


class _DecoderExport(nn.Module):
    def __init__(self, vq):
        super().__init__()
        self.vq = vq

    def forward(self, codes):
        return self.vq.decode(codes)


def export_classifier(clf, path):
    clf = clf.cpu().eval()
    torch.onnx.export(_ClassifierExport(clf), (torch.rand(2, 1, 28, 28),), path, opset_version=OPSET,
                      input_names=["pixels"], output_names=["logits", "features"],
                      dynamic_axes={"pixels": {0: "batch"}, "logits": {0: "batch"}, "features": {0: "batch"}})
    _check(path)


def export_vq(vq, enc_path, dec_path, grid=(7, 7)):
    vq = vq.cpu().eval()
    torch.onnx.export(_EncoderExport(vq), (torch.rand(2, 1, 28, 28),), enc_path, opset_version=OPSET,
                      input_names=["pixels"], output_names=["codes"],
                      dynamic_axes={"pixels": {0: "batch"}, "codes": {0: "batch"}})
    _check(enc_path)
    torch.onnx.export(_DecoderExport(vq), (torch.randint(0, vq.K, (2,) + tuple(grid)),), dec_path,
                      opset_version=OPSET, input_names=["codes"], output_names=["pixels"],
                      dynamic_axes={"codes": {0: "batch"}, "pixels": {0: "batch"}})
    _check(dec_path)


def export_transformer(model, path):
    model = model.cpu().eval()
    n, h = model.cfg["layers"], model.cfg["heads"]
    dh = model.cfg["d"] // h
    B, L, P = 2, 3, 2
    ids = torch.randint(0, model.cfg["vocab_size"], (B, L))
    pos = torch.arange(P, P + L).unsqueeze(0).expand(B, L).contiguous()
    mask = torch.ones(B, 1, L, P + L)
    past = []
    in_names = ["input_ids", "position_ids", "attention_mask"]
    out_names = ["logits"]
    dyn = {"input_ids": {0: "batch", 1: "seq"}, "position_ids": {0: "batch", 1: "seq"},
           "attention_mask": {0: "batch", 2: "seq", 3: "total"}, "logits": {0: "batch", 1: "seq"}}
    for i in range(n):
        for kv in ("key", "value"):
            past.append(torch.randn(B, h, P, dh))
            in_names.append(f"past_key_values.{i}.{kv}")
            out_names.append(f"present.{i}.{kv}")
            dyn[in_names[-1]] = {0: "batch", 2: "past"}
            dyn[out_names[-1]] = {0: "batch", 2: "total"}
    torch.onnx.export(OnnxWrapper(model), (ids, pos, mask, *past), path, opset_version=OPSET,
                      input_names=in_names, output_names=out_names, dynamic_axes=dyn)
    _check(path)


def write_fid_stats(feats, path):
    f = feats.double()
    mean = f.mean(0)
    cov = torch.cov(f.t())
    with open(path, "w") as fh:
        json.dump({"dimension": f.shape[1], "count": f.shape[0], "mean": [round(v, 7) for v in mean.tolist()],
                   "covariance": [round(v, 7) for v in cov.flatten().tolist()]}, fh)


def write_config(path, lay, model, class_labels, class_names, mmu_question, edit_instructions, name):
    from .captions import SPECIAL_TOKENS
    cfg = {
        "name": name,
        "vocabulary": {
            "textVocabSize": lay.T, "specialTokens": SPECIAL_TOKENS, "imageCodebookSize": lay.K,
            "imageTokenOffset": lay.img_off, "maskTokenId": lay.MASK, "vocabSize": lay.vocab_size,
            "bosTokenId": 1, "eosTokenId": 2, "unkTokenId": 0,
            "imageGrid": {"height": lay.grid[0], "width": lay.grid[1]},
        },
        "transformer": {"file": "onnx/transformer.onnx", "numLayers": model.cfg["layers"],
                        "numHeads": model.cfg["heads"], "headDim": model.cfg["d"] // model.cfg["heads"],
                        "hiddenSize": model.cfg["d"], "maxPositions": model.cfg["max_positions"]},
        "vq": {"encoder": "onnx/vq-encoder.onnx", "decoder": "onnx/vq-decoder.onnx", "imageSize": 28, "channels": 1},
        "classifier": {"file": "onnx/classifier.onnx", "classes": class_labels, "fidStats": "fid-stats.json"},
        "prompts": {"t2iPromptLength": lay.t2i_prompt_length, "editPromptLength": lay.edit_prompt_length,
                    "mmuQuestion": mmu_question, "classNames": class_names,
                    "editInstructions": edit_instructions,
                    # Interleaved chat (omnitrain/chat_rows.py): <|lvg|> opens it; the model was taught up to
                    # three images per answer, each user turn left-padded to 24 positions.
                    "chat": {"taskToken": "<|lvg|>", "maxImages": 3, "userTurnLength": 24,
                             "imageTurnLength": 6}},
        "defaults": {"image": {"scheduler": "maskgit", "steps": 12, "guidance": 2},
                     "text": {"scheduler": "autoregressive", "maxTokens": 8}},
        # How onnxruntime runs this small model, by measurement (docs/model-format.md, "Session options").
        "session": {"intraOpThreads": 1, "allowSpinning": False},
    }
    with open(path, "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    return cfg


def folder_size(path):
    total = 0
    for root, _, files in os.walk(path):
        for fn in files:
            total += os.path.getsize(os.path.join(root, fn))
    return total
