"""API tokens, credentials, sessions and the sign-in throttle as pure rules."""
