"""Skills, training and adoption as pure rules."""
