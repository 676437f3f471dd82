"""Experiments on top of batches: ranking routes, searching routes, sensitivity."""
