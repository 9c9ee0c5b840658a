"""Risk management: a register of risks tied to tested controls, appetite and acceptance."""
