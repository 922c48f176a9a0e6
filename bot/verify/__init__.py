"""The grounding verifier, its protocol and its calibration per grounding model."""
