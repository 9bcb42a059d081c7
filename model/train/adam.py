"""Adam for the trainer's stacked candidates: torch.optim.Adam's update, iteration for iteration.

``torch.optim.Optimizer.__init__`` imports ``torch._dynamo`` the first time any optimiser is
made: 1.8 s of a cold ``netmorph train`` on this project's machines, as long as the
training itself, for a compiler netmorph never uses. The update here is torch's own
single-tensor Adam (the one it runs on CPU), written with the same tensor operations in the same
order, so the weights are bit-identical (tests/unit/test_adam.py checks it against
``torch.optim.Adam``).
"""

from __future__ import annotations

import torch


class Adam:
    """Adam with torch's defaults (no weight decay, no AMSGrad) over a list of leaf tensors."""

    def __init__(
        self,
        params: list[torch.Tensor],
        lr: float,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        self.params = list(params)
        self.lr, (self.beta1, self.beta2), self.eps = lr, betas, eps
        self.iterations = 0  # updates made (torch's state['step'])
        self.exp_avg = [torch.zeros_like(p, memory_format=torch.preserve_format) for p in params]
        self.exp_avg_sq = [torch.zeros_like(p, memory_format=torch.preserve_format) for p in params]

    def zero_grad(self) -> None:
        """Forget the gradients (as ``zero_grad(set_to_none=True)``)."""
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def update(self) -> None:
        """One iteration's update from each parameter's ``.grad`` (torch's ``step()``)."""
        self.iterations += 1
        # torch keeps the count in a float32 tensor and reads it back as a Python float.
        t = float(self.iterations)
        update_size = self.lr / (1 - self.beta1**t)
        bias_correction2_sqrt = (1 - self.beta2**t) ** 0.5
        for param, exp_avg, exp_avg_sq in zip(self.params, self.exp_avg, self.exp_avg_sq):
            grad = param.grad
            if grad is None:
                continue
            exp_avg.lerp_(grad, 1 - self.beta1)
            exp_avg_sq.mul_(self.beta2).addcmul_(grad, grad, value=1 - self.beta2)
            denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(self.eps)
            param.addcdiv_(exp_avg, denom, value=-update_size)
