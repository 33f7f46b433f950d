"""Reading inputs: paths expanded into sources (read/sources.py), bytes decoded into text
(read/textio.py). Parsing a text into a Document is the formats' job (xlat.formats)."""
