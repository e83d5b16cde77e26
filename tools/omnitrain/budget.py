"""Wall-clock training budgets: a stage ends at max_steps or when its time is up, whichever comes first,
and its learning-rate schedule follows progress = max(step / max_steps, elapsed / budget), so the schedule
always runs its whole course even when the (shared) CPU slows down midway."""
import math
import time


class Budget:
    def __init__(self, max_steps, minutes=None):
        self.max_steps = max_steps
        self.seconds = None if not minutes else minutes * 60.0
        self.t0 = time.time()

    def progress(self, step):
        p = step / self.max_steps
        if self.seconds is not None:
            p = max(p, (time.time() - self.t0) / self.seconds)
        return min(1.0, p)

    def elapsed(self):
        return time.time() - self.t0


def warmup_cosine(p, peak, warmup=0.05, floor=0.05):
    if p < warmup:
        return peak * max(p / warmup, 0.01)
    q = (p - warmup) / (1 - warmup)
    return peak * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * min(1.0, q))))
