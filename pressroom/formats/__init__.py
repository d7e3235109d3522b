"""Formats: the registry of outputs (PDF variants, ...) and the renderers behind them."""
