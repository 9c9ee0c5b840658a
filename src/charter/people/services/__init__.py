"""Use cases of talent and adoption."""
