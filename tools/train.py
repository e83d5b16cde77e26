#!/usr/bin/env python3
"""Train the omnidecode default model end to end and write the model folder (docs/model-format.md).

    /usr/bin/python3 tools/train.py --out models/default --seed 0          # full run (~80 min on 2 CPU cores)
    /usr/bin/python3 tools/train.py --out /tmp/omni-quick --seed 0 --quick  # smoke run (~2-3 min)
"""
import argparse
import json
import os
import platform
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from omnitrain import captions, data as D, evaluate as E, export as X  # noqa: E402
from omnitrain.classifier import accuracy, classify, train_classifier  # noqa: E402
from omnitrain.layout import Layout  # noqa: E402
from omnitrain.tf_train import train_transformer  # noqa: E402
from omnitrain.transformer import UnifiedTransformer  # noqa: E402
from omnitrain.vq import VQVAE, decode_all, encode_all, train_vq  # noqa: E402
from omnitrain.model_card import write_model_card  # noqa: E402


def log(msg):
    print(time.strftime("%H:%M:%S"), msg, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="models/default")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quick", action="store_true", help="tiny smoke run (minutes); quality is meaningless")
    ap.add_argument("--work", default="/tmp/omnitrain-work", help="checkpoint folder (for --reuse)")
    ap.add_argument("--reuse", action="store_true", help="reuse checkpoints in --work instead of retraining")
    ap.add_argument("--clf-steps", type=int, default=2000, help="classifier steps (at most)")
    ap.add_argument("--clf-minutes", type=float, default=4.0, help="classifier wall-time budget; 0 = none")
    ap.add_argument("--vq-steps", type=int, default=6000, help="VQ steps (at most)")
    ap.add_argument("--vq-minutes", type=float, default=10.0, help="VQ wall-time budget; 0 = none")
    ap.add_argument("--codebook", type=int, default=512)
    ap.add_argument("--tf-steps", type=int, default=8000, help="transformer steps (at most)")
    ap.add_argument("--tf-minutes", type=float, default=60.0, help="transformer wall-time budget; 0 = none")
    ap.add_argument("--train-images", type=int, default=60000, help="training images encoded for t2i / mmu")
    ap.add_argument("--edit-images", type=int, default=15000, help="training images that get edit pairs")
    ap.add_argument("--eval-edit-images", type=int, default=30, help="held-out images per edit instruction")
    ap.add_argument("--width", type=int, default=128)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--lr", type=float, default=1.5e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--skip-eval", action="store_true")
    ap.add_argument("--clf-batch", type=int, default=128)
    ap.add_argument("--vq-batch", type=int, default=128)
    ap.add_argument("--tf-rows", default="48,24,16,12,12",
                    help="rows per step: t2i masked, t2i AR, image->text, edit masked, edit AR")
    ap.add_argument("--tf-workers", type=int, default=0, help="DataLoader processes building transformer batches")
    ap.add_argument("--stop-after", choices=["vq", "transformer"],
                    help="save the checkpoints up to this stage and stop (no export): train on one machine, "
                         "export on another with --reuse")
    args = ap.parse_args()

    tf_rows = tuple(int(v) for v in args.tf_rows.split(","))
    assert len(tf_rows) == 5, "--tf-rows takes five counts"
    torch.set_num_threads(args.threads)
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    if args.quick:
        args.clf_steps, args.vq_steps, args.tf_steps = 150, 150, 30
        args.clf_minutes = args.vq_minutes = args.tf_minutes = 0
        args.edit_images = 2000
    os.makedirs(args.work, exist_ok=True)
    os.makedirs(os.path.join(args.out, "onnx"), exist_ok=True)
    times = {}
    t_all = time.time()
    trained = _load_json(os.path.join(args.work, "trained.json"))  # where and how long each checkpoint trained
    log(f"device {device}, torch {torch.__version__}, args {vars(args)}")

    data = D.load_fashion_mnist()
    log(f"data: train {tuple(data['train_x'].shape)} test {tuple(data['test_x'].shape)}")

    # 1. classifier
    t = time.time()
    ck = os.path.join(args.work, "classifier.pt")
    from omnitrain.classifier import Classifier
    if args.reuse and os.path.exists(ck):
        clf = Classifier().to(device)
        clf.load_state_dict(torch.load(ck, map_location=device))
        clf.eval()
    else:
        clf = train_classifier(data, device, max_steps=args.clf_steps, batch=args.clf_batch, seed=args.seed, log=log,
                               minutes=args.clf_minutes or None)
        args.clf_steps = clf.steps_trained
        torch.save(clf.state_dict(), ck)
        trained["classifier"] = _stage_record(time.time() - t, clf.steps_trained, args.clf_batch, device)
        _save_json(os.path.join(args.work, "trained.json"), trained)
    clf_acc = accuracy(clf, data["test_x"], data["test_y"], device)
    times["classifier_s"] = time.time() - t
    log(f"classifier test accuracy {clf_acc:.4f} ({times['classifier_s']:.0f}s)")

    # 2. VQ tokenizer
    t = time.time()
    ck = os.path.join(args.work, "vq.pt")
    if args.reuse and os.path.exists(ck):
        vq = VQVAE(args.codebook).to(device)
        vq.load_state_dict(torch.load(ck, map_location=device))
        vq.eval()
    else:
        vq = train_vq(data, device, steps=args.vq_steps, batch=args.vq_batch, codebook_size=args.codebook,
                      seed=args.seed, log=log, minutes=args.vq_minutes or None)
        args.vq_steps = vq.steps_trained
        torch.save(vq.state_dict(), ck)
        trained["vq"] = _stage_record(time.time() - t, vq.steps_trained, args.vq_batch, device)
        _save_json(os.path.join(args.work, "trained.json"), trained)
    times["vq_s"] = time.time() - t
    test_codes = encode_all(vq, data["test_x"], device)
    rec = decode_all(vq, test_codes, device)
    vq_rec_acc = accuracy(clf, rec, data["test_y"], device)
    vq_mse = (rec - data["test_x"]).pow(2).mean().item()
    used = len(torch.unique(test_codes))
    log(f"vq: test reconstruction classifier accuracy {vq_rec_acc:.4f}, mse {vq_mse:.5f}, "
        f"codes used on test {used}/{args.codebook} ({times['vq_s']:.0f}s)")
    if args.stop_after == "vq":
        log(f"stopping after the VQ stage; checkpoints in {args.work}")
        return
    ck = os.path.join(args.work, "transformer.pt")
    reuse_tf = args.reuse and os.path.exists(ck)

    # 3. captions / attributes / precomputed codes of all images and edits
    t = time.time()
    lay = Layout(args.codebook)
    med = D.class_medians(data["train_x"], data["train_y"])
    dark, small = D.attributes(data["train_x"], data["train_y"], med)
    n_train = 4000 if args.quick else min(args.train_images, data["train_x"].shape[0])
    if not reuse_tf:  # the training rows only
        train_codes = encode_all(vq, data["train_x"][:n_train], device).reshape(-1, lay.N)
        src = data["train_x"][:args.edit_images]
        edit_codes = [encode_all(vq, f(src), device).reshape(-1, lay.N) for f in D.EDIT_FUNCS]
        log(f"precomputed codes for {train_codes.shape[0]} images + {len(edit_codes)} edits of {src.shape[0]}")
    times["precompute_s"] = time.time() - t
    log(f"lengths t2i {lay.t2i_length} edit {lay.edit_length}, vocab {lay.vocab_size} ({times['precompute_s']:.0f}s)")

    # 4. unified transformer
    t = time.time()
    max_pos = lay.max_positions
    assert lay.edit_length <= max_pos
    if reuse_tf:
        model = UnifiedTransformer(lay.vocab_size, args.width, args.layers, args.heads, max_pos).to(device)
        model.load_state_dict(torch.load(ck, map_location=device))
        model.eval()
    else:
        model = train_transformer(lay, train_codes, data["train_y"][:n_train], dark, small, edit_codes, device, args.tf_steps,
                                  d=args.width, layers=args.layers, heads=args.heads, max_positions=max_pos,
                                  lr=args.lr, seed=args.seed, sizes=tf_rows, log=log, minutes=args.tf_minutes or None,
                                  workers=args.tf_workers)
        args.tf_steps = model.steps_trained
        torch.save(model.state_dict(), ck)
        trained["transformer"] = _stage_record(time.time() - t, model.steps_trained, sum(tf_rows), device,
                                               width=args.width, layers=args.layers, heads=args.heads,
                                               lr=args.lr, rows=list(tf_rows), images=n_train,
                                               edit_images=args.edit_images)
        _save_json(os.path.join(args.work, "trained.json"), trained)
    times["transformer_s"] = time.time() - t
    n_params = sum(p.numel() for p in model.parameters())
    cache_diff = E.cache_check(model, lay, device)
    log(f"transformer: {n_params} parameters ({times['transformer_s']:.0f}s); KV-cache vs full max diff {cache_diff:.2e}")
    if args.stop_after == "transformer":
        log(f"stopping after the transformer stage; checkpoints in {args.work}")
        return

    # 5. export
    t = time.time()
    out = args.out
    X.export_classifier(clf, os.path.join(out, "onnx/classifier.onnx"))
    X.export_vq(vq, os.path.join(out, "onnx/vq-encoder.onnx"), os.path.join(out, "onnx/vq-decoder.onnx"), lay.grid)
    X.export_transformer(model, os.path.join(out, "onnx/transformer.onnx"))
    clf.to(device), vq.to(device), model.to(device)
    _, feats = classify(clf, data["test_x"], device)
    X.write_fid_stats(feats, os.path.join(out, "fid-stats.json"))
    captions.write_tokenizer(os.path.join(out, "tokenizer.json"))
    cfg = X.write_config(os.path.join(out, "config.json"), lay, model, D.CLASS_LABELS, captions.CLASS_NAMES,
                         captions.MMU_DEFAULT_QUESTION, D.EDIT_INSTRUCTIONS, "omnidecode-fashion-mini")
    times["export_s"] = time.time() - t
    log(f"exported to {out} ({times['export_s']:.0f}s)")

    # 6. Python-side sanity metrics
    metrics = {"classifier_test_accuracy": clf_acc, "vq_reconstruction_classifier_accuracy": vq_rec_acc,
               "vq_reconstruction_mse": vq_mse, "vq_codes_used_on_test": used, "kv_cache_max_abs_diff": cache_diff}
    if not args.skip_eval:
        n = 2 if args.quick else 10
        metrics.update(E.evaluate(model, lay, vq, clf, data["test_x"], data["test_y"], test_codes.reshape(-1, lay.N),
                                  device, seed=args.seed, per_class=n, mmu_n=20 if args.quick else 500,
                                  edit_n=8 if args.quick else args.eval_edit_images, log=log))
    times["total_s"] = time.time() - t_all
    machine = f"{platform.machine()}, {_cpu_name()}, {torch.get_num_threads()} threads, device {device}"
    with open(os.path.join(args.work, "metrics.json"), "w") as f:
        json.dump({"metrics": metrics, "times": times, "args": vars(args), "machine": machine}, f, indent=2)
    write_model_card(os.path.join(out, "MODEL_CARD.md"), cfg, metrics, times, vars(args), machine, n_params, lay,
                     trained)
    size = X.folder_size(out)
    log(f"done in {times['total_s']:.0f}s; folder size {size / 1e6:.2f} MB")
    log("metrics " + json.dumps(metrics))


def _stage_record(seconds, steps, batch, device, **extra):
    name = torch.cuda.get_device_name(0) if device == "cuda" else _cpu_name()
    return {"seconds": round(seconds, 1), "steps": steps, "batch": batch, "device": device, "device_name": name,
            "torch": torch.__version__, **extra}


def _load_json(path):
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        return json.load(f)


def _save_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)


def _cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    main()
