"""Thin HTTP resources: parse parameters, call the engine, serialise. No search logic here."""
