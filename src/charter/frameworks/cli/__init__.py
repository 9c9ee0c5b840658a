"""The framework commands: classify, packs, obligations."""
