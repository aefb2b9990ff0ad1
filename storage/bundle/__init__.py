"""Floor 3 wing: what goes to the province — bundle sources, preflight, self-scores
(assessments) and sealed submissions."""
