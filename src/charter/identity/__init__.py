"""Who is signed in: API tokens, passwords, web sessions, single sign-on."""
