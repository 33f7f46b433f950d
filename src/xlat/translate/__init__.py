"""Translating sentences: engines behind one protocol (engines/), the route each language pair
takes (routing), the translation memory (memory), Argos packages (models)."""
