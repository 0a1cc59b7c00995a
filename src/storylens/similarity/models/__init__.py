"""Fitted similarity models shipped with storylens (LightGBM text files + JSON metadata)."""
