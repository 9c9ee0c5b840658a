"""The audit trail's pure rules: canonical events, Merkle trees, checkpoints, log checks."""
