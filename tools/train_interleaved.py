#!/usr/bin/env python3
"""Teach an exported model folder the interleaved chat tasks (draw then say, several items in order,
multi-turn editing) by continuing its transformer's training; the VQ tokenizer, classifier and FID
statistics are copied unchanged, so image codes keep their meaning.

    /usr/bin/python3 tools/train_interleaved.py --from models/default --out /tmp/chat-model --seed 0
    /usr/bin/python3 tools/train_interleaved.py --from DIR --out DIR2 --quick     # smoke run (~2 min)

The vocabulary grows by the chat words (appended: earlier ids keep theirs) and positions by what three
images with their text need (224). Old tasks stay in every step's mix so their figures hold.
"""
import argparse
import json
import os
import random
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from omnitrain import captions, data as D, export as X, from_folder as FF  # noqa: E402
from omnitrain.chat_train import composed_edit_codes, continue_training  # noqa: E402
from omnitrain.layout import Layout  # noqa: E402
from omnitrain.model_turns import model_first_turns  # noqa: E402
from omnitrain.vq import encode_all  # noqa: E402

COPIED = ["onnx/vq-encoder.onnx", "onnx/vq-decoder.onnx", "onnx/classifier.onnx", "fid-stats.json", "eval"]


def log(msg):
    print(time.strftime("%H:%M:%S"), msg, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--from", dest="source", default="models/default")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--steps", type=int, default=20000)
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--lr", type=float, default=6e-4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--old-rows", default="16,8,8,6,6", help="per step: t2i masked, t2i AR, image->text, edit masked, edit AR")
    ap.add_argument("--chat-rows", default="10,10,10", help="per step: draw-then-say, items, edit turns")
    ap.add_argument("--item-counts", default="0.2,0.4,0.4", help="weights of one, two and three items in the item rows")
    ap.add_argument("--last-item-masked", type=float, default=None,
                    help="how often an item row's masked image is its last (default: any item, uniformly)")
    ap.add_argument("--pair-images", type=int, default=4000, help="images with two-edit targets")
    ap.add_argument("--drawn-first-turns", type=int, default=0,
                    help="pair images whose first edit turn the source model draws itself (omnitrain/model_turns.py)")
    ap.add_argument("--drawn-first-prob", type=float, default=0.5,
                    help="how often a two-turn edit row on one of them takes the drawn first answer")
    ap.add_argument("--force", action="store_true", help="replace --out if it exists")
    args = ap.parse_args()
    if os.path.abspath(args.out) == os.path.abspath(args.source):
        sys.exit("--out must differ from --from (the source folder is read while writing)")
    if os.path.exists(args.out) and not args.force:
        sys.exit(f"{args.out} exists; pass --force to replace it")
    old_sizes = tuple(int(v) for v in args.old_rows.split(","))
    chat_sizes = tuple(int(v) for v in args.chat_rows.split(","))
    item_counts = tuple(float(v) for v in args.item_counts.split(","))
    if len(item_counts) != 3 or min(item_counts) < 0 or sum(item_counts) <= 0:
        sys.exit(f"--item-counts takes three weights >= 0 (one, two, three items), got {args.item_counts}")
    if not 0 <= args.drawn_first_turns <= args.pair_images:
        sys.exit(f"--drawn-first-turns is from 0 to --pair-images ({args.pair_images}), got {args.drawn_first_turns}")
    if not 0 <= args.drawn_first_prob <= 1:
        sys.exit(f"--drawn-first-prob is a probability in [0, 1], got {args.drawn_first_prob}")
    if args.last_item_masked is not None and not 0 <= args.last_item_masked <= 1:
        sys.exit(f"--last-item-masked is a probability in [0, 1], got {args.last_item_masked}")
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    if args.quick:
        args.steps, args.minutes, args.pair_images = 20, 0, 300
        args.drawn_first_turns = min(args.drawn_first_turns, args.pair_images)
    t_all = time.time()
    log(f"device {device}, torch {torch.__version__}, args {vars(args)}")

    lay = Layout(512)
    data = D.load_fashion_mnist()
    vq = FF.load_vq(args.source, lay.K).to(device)
    model = FF.load_transformer(args.source, lay, lay.max_positions)
    n_train = 4000 if args.quick else data["train_x"].shape[0]
    x, y = data["train_x"][:n_train], data["train_y"][:n_train]
    t = time.time()
    med = D.class_medians(data["train_x"], data["train_y"])
    dark, small = D.attributes(data["train_x"], data["train_y"], med)
    codes = encode_all(vq, x, device).reshape(-1, lay.N)
    n_edit = min(15000, n_train)
    edit_codes = [encode_all(vq, f(x[:n_edit]), device).reshape(-1, lay.N) for f in D.EDIT_FUNCS]
    pair_codes = composed_edit_codes(vq, x[:args.pair_images], device)
    precompute_s = time.time() - t
    log(f"codes: {codes.shape[0]} images, 4 edits of {n_edit}, 16 edit pairs of {args.pair_images} ({precompute_s:.0f}s)")
    drawn, drawn_s = None, 0.0
    if args.drawn_first_turns > 0:
        t = time.time()
        model.to(device)
        # As many maskgit steps as the engine takes by default for this model.
        with open(os.path.join(args.source, "config.json")) as f:
            steps = json.load(f)["defaults"]["image"]["steps"]
        drawn = model_first_turns(model, lay, codes[:args.drawn_first_turns], steps, args.seed, device)
        drawn_s = time.time() - t
        log(f"drawn first turns: 4 edits of {args.drawn_first_turns} ({drawn_s:.0f}s)")

    t = time.time()
    model = continue_training(model, lay, codes, y, dark, small, edit_codes, pair_codes, device, args.steps,
                              args.minutes or None, args.lr, args.seed, old_sizes, chat_sizes, log,
                              item_counts=item_counts, last_item_masked=args.last_item_masked,
                              drawn_turns=drawn, drawn_prob=args.drawn_first_prob if drawn is not None else 0.0)
    train_s = time.time() - t
    log(f"trained {model.steps_trained} steps ({train_s:.0f}s)")

    tmp = args.out.rstrip("/") + ".partial"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(os.path.join(tmp, "onnx"))
    for name in COPIED:
        src = os.path.join(args.source, name)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(tmp, name))
        elif os.path.exists(src):
            shutil.copy2(src, os.path.join(tmp, name))
    model.cpu()
    X.export_transformer(model, os.path.join(tmp, "onnx/transformer.onnx"))
    captions.write_tokenizer(os.path.join(tmp, "tokenizer.json"))
    X.write_config(os.path.join(tmp, "config.json"), lay, model, D.CLASS_LABELS, captions.CLASS_NAMES,
                   captions.MMU_DEFAULT_QUESTION, D.EDIT_INSTRUCTIONS, "omnidecode-fashion-mini")
    record = {"source": args.source, "seconds": round(train_s, 1), "precompute_seconds": round(precompute_s, 1),
              "steps": model.steps_trained, "device": device, "torch": torch.__version__, "lr": args.lr,
              "old_rows": list(old_sizes), "chat_rows": list(chat_sizes), "item_counts": list(item_counts),
              "last_item_masked": args.last_item_masked, "pair_images": args.pair_images,
              **({"drawn_first_turns": args.drawn_first_turns, "drawn_first_prob": args.drawn_first_prob,
                  "drawn_seconds": round(drawn_s, 1)} if drawn is not None else {}),
              "threads": args.threads, "total_seconds": round(time.time() - t_all, 1)}
    with open(os.path.join(tmp, "interleaved-training.json"), "w") as f:
        json.dump(record, f, indent=2)
        f.write("\n")
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    os.replace(tmp, args.out)
    log(f"wrote {args.out} in {time.time() - t_all:.0f}s: {json.dumps(record)}")


if __name__ == "__main__":
    main()
