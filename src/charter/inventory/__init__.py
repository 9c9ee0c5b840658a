"""The AI inventory: systems, models and their versions, datasets, vendors."""
