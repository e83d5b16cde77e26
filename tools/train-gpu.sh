#!/usr/bin/env bash
# Trains the default model's networks on a CUDA machine and leaves the checkpoints in $1 (default $OUT);
# export and evaluation then run anywhere with `tools/train.py --reuse` (see tools/README.md).
# Stage 1 trains the classifier and the VQ tokenizer; stage 2 trains one transformer per shape in
# TF_SHAPES ("width:layers:heads:lr", space separated) in parallel on the same GPU, all from the same codes.
# PYTHON names the interpreter (default python3; on the Debian CPU machine: PYTHON=/usr/bin/python3).
set -uo pipefail
out=${1:-$OUT}
here=$(cd "$(dirname "$0")" && pwd)
py=${PYTHON:-python3}
export PYTHONUNBUFFERED=1
export FASHION_MNIST_DIR=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
: "${TF_SHAPES:=128:4:4:2e-3 192:6:6:1.5e-3}"
: "${CLF_ARGS:=--clf-steps 4000 --clf-batch 256 --clf-minutes 1}"
: "${VQ_ARGS:=--vq-steps 12000 --vq-batch 256 --vq-minutes 2}"
: "${TF_ARGS:=--tf-steps 40000 --tf-minutes 4 --tf-rows 128,96,96,64,64 --tf-workers 6 --train-images 60000 --edit-images 60000}"
base=/tmp/omnitrain-base
mkdir -p "$out" "$base"
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
$py "$here/train.py" --work "$base" --out /tmp/omnitrain-unused --seed 0 $CLF_ARGS $VQ_ARGS \
  --stop-after vq >"$out/log-base.txt" 2>&1 || { tail -30 "$out/log-base.txt"; exit 1; }
tar -C "$base" -cf "$out/base.tar" classifier.pt vq.pt trained.json
tail -3 "$out/log-base.txt"
pids=()
for shape in $TF_SHAPES; do
  IFS=: read -r w l h lr <<<"$shape"
  name=tf-w$w-l$l
  work=/tmp/omnitrain-$name
  mkdir -p "$work" && cp "$base"/{classifier.pt,vq.pt,trained.json} "$work"/
  ( $py "$here/train.py" --work "$work" --out /tmp/omnitrain-unused-$name --seed 0 --reuse $TF_ARGS \
      --width "$w" --layers "$l" --heads "$h" --lr "$lr" --stop-after transformer >"$out/log-$name.txt" 2>&1 \
    && tar -C "$work" -cf "$out/$name.tar" transformer.pt trained.json ) &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
for f in "$out"/log-tf-*.txt; do echo "== $f"; grep -E "^\S+ \[tf\] step" "$f" | tail -1; tail -2 "$f"; done
exit $status
