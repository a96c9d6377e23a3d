"""Learning from complaints: themes and root causes, suggested themes, related cases, early
warnings of a rise, and the lessons register published as "you said, we did"."""
