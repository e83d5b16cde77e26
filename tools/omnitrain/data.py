"""Fashion-MNIST loading, pixel attributes and the synthetic edit operations."""
import gzip
import os

import numpy as np
import torch
import torch.nn.functional as F

# FASHION_MNIST_DIR points elsewhere (e.g. a copy of the four .gz files carried to a GPU machine)
DATA_DIR = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")

CLASS_LABELS = ["t-shirt/top", "trouser", "pullover", "dress", "coat",
                "sandal", "shirt", "sneaker", "bag", "ankle boot"]


def _read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    ndim = magic & 0xFF
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_fashion_mnist(data_dir=None):
    data_dir = data_dir or DATA_DIR
    """Returns dict with float32 tensors x [N,1,28,28] in [0,1] and int64 labels."""
    out = {}
    for split, prefix in (("train", "train"), ("test", "t10k")):
        x = _read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"))
        y = _read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"))
        out[split + "_x"] = torch.from_numpy(x.astype(np.float32) / 255.0).unsqueeze(1)
        out[split + "_y"] = torch.from_numpy(y.astype(np.int64))
    return out


OBJECT_THRESHOLD = 0.1


def object_stats(x):
    """Per image: mean intensity of object pixels and object pixel count."""
    obj = (x > OBJECT_THRESHOLD).float()
    count = obj.flatten(1).sum(1)
    bright = (x * obj).flatten(1).sum(1) / count.clamp(min=1)
    return bright, count


def class_medians(x, y):
    bright, count = object_stats(x)
    mb = torch.zeros(10)
    mc = torch.zeros(10)
    for c in range(10):
        mb[c] = bright[y == c].median()
        mc[c] = count[y == c].median()
    return mb, mc


def attributes(x, y, medians):
    """Returns (is_dark bool [N], is_small bool [N]) relative to the per-class medians."""
    mb, mc = medians
    bright, count = object_stats(x)
    return bright < mb[y], count < mc[y]


# ---- edits ---------------------------------------------------------------
EDIT_INSTRUCTIONS = ["make it darker", "make it lighter", "flip it", "make it smaller"]


def edit_darker(x):
    return x * 0.5


def edit_lighter(x):
    return x.clamp(0, 1).sqrt()  # gamma 0.5 brightens object pixels; black stays black


def edit_flip(x):
    return x.flip(-1)


def edit_smaller(x, scale=0.7):
    n = x.shape[-1]
    s = int(round(n * scale))
    if s % 2 != n % 2:
        s += 1
    small = F.interpolate(x, size=(s, s), mode="bilinear", align_corners=False).clamp(0, 1)
    off = (n - s) // 2
    out = torch.zeros_like(x)
    out[..., off:off + s, off:off + s] = small
    return out


EDIT_FUNCS = [edit_darker, edit_lighter, edit_flip, edit_smaller]


def random_appearance(x, gen, prob=0.5):
    """Per image, with probability `prob`, one of: intensity scaled by U(0.4, 1), gamma U(0.4, 1) (brighter,
    black stays black), or a downscale by U(0.6, 1) about the centre. The classifier and the VQ tokenizer see
    these so that edited images (darker, lighter, smaller) are in their training distribution too."""
    n = x.shape[0]
    kind = torch.randint(0, 3, (n,), generator=gen)
    on = torch.rand(n, generator=gen) < prob
    amount = 0.4 + 0.6 * torch.rand(n, generator=gen)
    scale_amt = 0.6 + 0.4 * torch.rand(n, generator=gen)
    dev = x.device
    out = x.clone()
    dark = (on & (kind == 0)).to(dev)
    light = (on & (kind == 1)).to(dev)
    small = (on & (kind == 2)).to(dev)
    a = amount.to(dev).view(n, 1, 1, 1)
    out = torch.where(dark.view(n, 1, 1, 1), out * a, out)
    out = torch.where(light.view(n, 1, 1, 1), out.clamp(min=1e-6) ** a, out)
    if small.any():
        s = scale_amt.to(dev)
        theta = torch.zeros(n, 2, 3, device=dev)
        theta[:, 0, 0] = 1.0 / s
        theta[:, 1, 1] = 1.0 / s
        grid = F.affine_grid(theta, list(x.shape), align_corners=False)
        shrunk = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
        out = torch.where(small.view(n, 1, 1, 1), shrunk, out)
    return out.clamp(0, 1)
