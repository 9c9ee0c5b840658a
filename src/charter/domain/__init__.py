"""Pure domain: entities, state machines and rules. No I/O, no framework imports."""
