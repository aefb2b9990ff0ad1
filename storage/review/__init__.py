"""Floor 4: the cycle after a submission — province review, rectification, checkpoints, rounds (issue 16)."""
