"""Use cases of the organisation and of RACI."""
