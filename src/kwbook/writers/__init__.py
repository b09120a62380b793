"""Packagers: each turns the rendered book into one deliverable file."""
