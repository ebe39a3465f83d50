"""Search: text normalisation for matching and “did you mean”."""
