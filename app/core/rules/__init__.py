"""Assignment rules: the model, criteria matching, boolean filter logic and the first-match engine."""
