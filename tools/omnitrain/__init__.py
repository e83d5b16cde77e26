"""omnitrain: trains the omnidecode default model (see docs/model-format.md)."""
