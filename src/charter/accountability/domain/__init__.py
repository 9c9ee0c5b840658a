"""Business units, people, decision rights and RACI as pure rules."""
