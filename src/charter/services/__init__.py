"""Use cases: one function each, one transaction each, with its audit event inside it."""
