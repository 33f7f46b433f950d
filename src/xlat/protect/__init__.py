"""Protecting what engines must not touch: sentences (segment), quotations (quotes), glossary
terms (glossary), and the tree of atoms and quotations a block becomes, with the placeholder
wire format an engine sees (inline, placeholders)."""
