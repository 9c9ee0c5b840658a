"""Use cases of access: the first administrator, tokens, sign-in and sessions."""
