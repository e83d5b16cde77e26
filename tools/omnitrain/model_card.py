"""Writes models/default/MODEL_CARD.md from the run's measured numbers."""
import json

from .captions import MMU_QUESTIONS, T2I_TEMPLATES
from .tf_train import TASK_WEIGHTS


def _pct(v):
    return f"{100 * v:.1f}%"


def write_model_card(path, cfg, m, times, args, machine, n_params, lay, trained=None):
    tf = cfg["transformer"]
    tr = (trained or {}).get("transformer", {})
    rows = tr.get("rows") or [int(v) for v in str(args.get("tf_rows", "48,24,16,12,12")).split(",")]
    images = tr.get("images", args.get("train_images", 20000))
    edit_images = tr.get("edit_images", args.get("edit_images", 6000))
    lines = [
        "# omnidecode-fashion-mini",
        "",
        "A tiny Show-o-style unified transformer trained from scratch on Fashion-MNIST, the default model of",
        "omnidecode. One transformer does text->image (MaskGIT masked diffusion or autoregressive raster order),",
        "image->text (autoregressive) and image editing by instruction. Layout and I/O: `docs/model-format.md`.",
        "",
        "## Reproduce",
        "",
    ] + _reproduce(args, times, m, machine, trained or {}) + [
        "",
        "## Data",
        "",
        "Fashion-MNIST (Debian `dataset-fashion-mnist`): the 60,000 training images train every network; the",
        "10,000 test images are never trained on. Pixels are `/255`, in [0, 1], black background.",
        "",
        "Captions (word-level, lowercase) are built per training sample from the class name plus attributes",
        "measured on the pixels: `dark`/`light` = mean intensity of object pixels (> 0.1) below/above that",
        "class's median, `small`/`large` = object pixel count below/above that class's median. Templates:",
        "",
    ]
    lines += [f"- `{t}`" for t in T2I_TEMPLATES]
    lines += [
        "",
        "where `{an}` is `a` or `an`. Class names: " + ", ".join(f"`{c}`" for c in cfg["prompts"]["classNames"]) + ".",
        "",
        f"Image->text: questions `{MMU_QUESTIONS[0]}` (default, answer `a <dark|light> <class>`, e.g. "
        f"`a dark ankle boot`) and `{MMU_QUESTIONS[1]}` (answer `<a|an> <class>`, e.g. `an ankle boot`).",
        "",
        "Edits (synthetic pairs made on the fly from training images, both encoded with the VQ encoder):",
        "`make it darker` (pixels x 0.5), `make it lighter` (pixels^0.5, black stays black), `flip it`",
        "(horizontal mirror), `make it smaller` (bilinear downscale to 20x20 about the centre, black padding).",
        "",
        "## Networks",
        "",
        f"- **Unified transformer** (`onnx/transformer.onnx`): pre-LN GPT, {tf['numLayers']} layers, hidden "
        f"{tf['hiddenSize']}, {tf['numHeads']} heads x {tf['headDim']}, MLP 4x with GELU, learned positions "
        f"(max {tf['maxPositions']}), untied output head, {n_params / 1e6:.2f} M parameters. Vocabulary "
        f"{lay.vocab_size} = {lay.T} text + 11 special + {lay.K} image codes + [MASK]. The 4D attention mask "
        "is an input (1/0, turned into an additive 0/-1e4 inside, so fully blocked rows stay finite); KV cache as "
        "`past_key_values.*` / `present.*`.",
        f"- **VQ tokenizer** (`onnx/vq-encoder.onnx`, `onnx/vq-decoder.onnx`): conv VQ-VAE, 28x28 -> 7x7 codes, "
        f"codebook {lay.K} x 32 with EMA updates (decay 0.99) and dead-code restarts, BCE reconstruction + "
        f"0.25 commitment, {_steps(trained, 'vq', args['vq_steps'], args.get('vq_batch', 128))} (Adam, warmup + cosine "
        "lr 2e-3); 30% of each batch darkened, brightened or shrunk at random so that edit targets are codable.",
        f"- **Evaluation classifier** (`onnx/classifier.onnx`): 3 conv+BatchNorm+ReLU+maxpool layers (16/32/64 channels) + 64-d ReLU feature layer + linear, "
        f"{_steps(trained, 'classifier', args.get('clf_steps', '?'), args.get('clf_batch', 128))} (AdamW, warmup + cosine lr 3e-3, "
        "random horizontal flips, and half of the images darkened (x U(0.4, 1)), brightened (gamma U(0.4, 1)) or shrunk "
        "(x U(0.6, 1)) so that it judges the class of an edited image, not its brightness or size). `fid-stats.json` holds the "
        "mean and covariance of its 64-d features over the 10,000 real test images.",
        "",
        "## Transformer training",
        "",
        f"{_tf_steps(trained, args)} peak lr {(trained or {}).get('transformer', {}).get('lr', args['lr'])}, betas 0.9/0.98, weight decay 0.05 on matrices, warmup over "
        "the first 6% then cosine decay to 5%, grad clip 1.0, fp32). Each stage trains for a wall-clock budget "
        "(`tools/README.md`), so step counts depend on the machine's load. Every step mixes, with per-task mean losses weighted "
        f"{json.dumps(TASK_WEIGHTS)}:",
        "",
        f"- {rows[0]} text->image rows, masked-token prediction: image codes bidirectional, mask ratio cos(pi/2 u), "
        "u ~ U(0,1), loss on masked codes only;",
        f"- {rows[1]} text->image rows, next-token prediction with causal codes in raster order (loss on codes and `<|eoi|>`);",
        f"- {rows[2]} image->text rows (loss on answer words and the final `<|eos|>`);",
        f"- {rows[3] + rows[4]} editing rows ({rows[3]} masked-bidirectional target, {rows[4]} causal target).",
        "",
        f"Rows are drawn from the first {images:,} training images; edit pairs from the first {edit_images:,}.",
        "",
        "The prompt of text->image rows (both kinds) is replaced by the empty prompt 10% of the time, for "
        "classifier-free guidance.",
        "",
        "## Metrics measured by the Python trainer (sanity checks, not the engine's numbers)",
        "",
        "These come from the trainer's own PyTorch samplers (`tools/omnitrain/sampling.py`, `evaluate.py`); the",
        "TypeScript engine measures its own metrics with its own decoders.",
        "",
        "| metric | value |",
        "|---|---|",
        f"| classifier accuracy, 10,000 real test images | {_pct(m['classifier_test_accuracy'])} |",
        f"| classifier accuracy on VQ reconstructions of the test images | {_pct(m['vq_reconstruction_classifier_accuracy'])} |",
        f"| VQ reconstruction MSE (test) | {m['vq_reconstruction_mse']:.4f} |",
        f"| KV cache vs full forward, max abs logit diff (PyTorch) | {m['kv_cache_max_abs_diff']:.1e} |",
    ]
    if "t2i_maskgit_12steps_w2" in m:
        lines += [
            f"| text->image class accuracy, MaskGIT 12 steps, cosine, CFG w=2 (Show-o form), choice temp 4.5, 100 images | {_pct(m['t2i_maskgit_12steps_w2'])} |",
            f"| text->image class accuracy, AR raster + KV cache, CFG w=2, temperature 1, 100 images | {_pct(m['t2i_ar_cfg_w2'])} |",
            f"| image->text greedy accuracy (class named in the answer), test images 0-499, `{cfg['prompts']['mmuQuestion']}` | {_pct(m['mmu_greedy_accuracy'])} |",
        ]
        for ins in cfg["prompts"]["editInstructions"]:
            for mode in ("maskgit", "ar"):
                lines.append(f"| edit `{ins}` ({'MaskGIT 12 steps, no CFG' if mode == 'maskgit' else 'AR, temperature 1'}), "
                             f"held-out test images from 500 on: success / class kept | "
                             f"{_pct(m[f'edit[{ins}]_{mode}_success'])} / {_pct(m[f'edit[{ins}]_{mode}_class_kept'])} |")
        lines += [
            "",
            "Text->image prompts are `a <class>` / `an <class>`, 10 per class, scored by the classifier. Edit",
            "success (Python definition, against the real source image): darker = mean < 0.85 x source mean;",
            "lighter = mean > 1.05 x source mean; flip = closer (MSE) to the mirrored source than to the source;",
            "smaller = object pixel count < 0.8 x source's. Class kept = classifier label of the edited image",
            "equals the true label.",
        ]
    lines += ["", "## Engine-measured metrics", "", "(added by the TypeScript side)", ""]
    with open(path, "w") as f:
        f.write("\n".join(lines))


def _steps(trained, stage, steps, batch):
    rec = (trained or {}).get(stage)
    if rec:
        return f"{rec['steps']} steps of batch {rec['batch']} ({rec['seconds'] / 60:.1f} min on {_where(rec)})"
    return f"{steps} steps of batch {batch}"


def _tf_steps(trained, args):
    rec = (trained or {}).get("transformer")
    if rec:
        return f"{rec['steps']} AdamW steps ({rec['seconds'] / 60:.1f} min on {_where(rec)};"
    return f"{args['tf_steps']} AdamW steps ("


def _where(rec):
    return f"{rec['device_name']}, torch {rec['torch']}"


def _reproduce(args, times, m, machine, trained):
    on_gpu = any(r.get("device") == "cuda" for r in trained.values())
    if on_gpu:
        return [
            "The shipped networks were trained on a lent GPU (one command, checkpoints only), then exported and",
            "evaluated on the CPU from those checkpoints:",
            "",
            "```",
            "FASHION_MNIST_DIR=... tools/train-gpu.sh OUT        # GPU: classifier, VQ, transformer -> OUT/*.tar",
            "/usr/bin/python3 tools/train.py --reuse --work WORK --out models/default --seed 0 "
            f"--width {args['width']} --layers {args['layers']} --heads {args['heads']}",
            "```",
            "",
            "Training time on the GPU: " + ", ".join(
                f"{stage} {rec['seconds'] / 60:.1f} min ({rec['steps']} steps of batch {rec['batch']})"
                for stage, rec in trained.items()) + f"; {trained[next(iter(trained))]['device_name']}.",
            f"Export and Python-side evaluation here: {machine}, {times['total_s'] / 60:.1f} min.",
            "The CPU-only path (`/usr/bin/python3 tools/train.py --out DIR --seed 0`, wall-clock budgets adding up to",
            "about 80 min on 2 cores) trains the same networks on fewer rows; `tools/README.md` has that run's figures.",
        ]
    return [
        "```",
        f"/usr/bin/python3 tools/train.py --out models/default --seed {args['seed']}",
        "```",
        "",
        f"Machine: {machine}. Wall time: {times['total_s'] / 60:.1f} min in total "
        f"(classifier {times['classifier_s'] / 60:.1f} min, VQ-VAE {times['vq_s'] / 60:.1f} min, "
        f"code precompute {times['precompute_s'] / 60:.1f} min, transformer {times['transformer_s'] / 60:.1f} min, "
        f"export {times['export_s'] / 60:.1f} min, Python-side evaluation "
        f"{m.get('eval_seconds', 0) / 60:.1f} min). Torch CPU training is not bit-reproducible across machines.",
    ]
