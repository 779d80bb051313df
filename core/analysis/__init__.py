"""The scaling lab's analyses: scaling.py (LR rules for a new batch size), lr_finder.py (the LR
range test), noise_scale.py (the gradient noise scale), critical_batch.py (steps to a target and
the critical batch size), sharpness.py (the Hessian's top eigenvalue), smoothing.py (the EMA)."""
