"""The audit trail: events in a Merkle log, signed checkpoints, proofs, verification and
witnesses."""
