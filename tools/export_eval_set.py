"""Writes a held-out slice of the Fashion-MNIST *test* set into the model folder, so the TypeScript
evaluation (`omnidecode evaluate`) and the benchmark run on a fresh machine without the dataset.
The transformer never trains on the test set; the slice is the first N test images, in order.

    /usr/bin/python3 tools/export_eval_set.py --out models/default --count 1000
"""
import argparse
import gzip
import json
import os

DATA_DIR = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    with gzip.open(path, "rb") as handle:
        data = handle.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return data[4 + 4 * ndim:], dims


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="models/default")
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--data", default=DATA_DIR)
    args = parser.parse_args()
    images, dims = read_idx(os.path.join(args.data, "t10k-images-idx3-ubyte.gz"))
    labels, _ = read_idx(os.path.join(args.data, "t10k-labels-idx1-ubyte.gz"))
    size = dims[1] * dims[2]
    folder = os.path.join(args.out, "eval")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "test-images.u8"), "wb") as handle:
        handle.write(images[: args.count * size])
    with open(os.path.join(folder, "test-labels.u8"), "wb") as handle:
        handle.write(labels[: args.count])
    with open(os.path.join(folder, "eval-set.json"), "w") as handle:
        json.dump({"source": "Fashion-MNIST t10k (test split), first images in file order",
                   "count": args.count, "height": dims[1], "width": dims[2],
                   "images": "test-images.u8", "labels": "test-labels.u8"}, handle, indent=2)
    print(f"wrote {args.count} test images to {folder}")


if __name__ == "__main__":
    main()
