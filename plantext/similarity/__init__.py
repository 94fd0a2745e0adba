"""Comparing plans: fingerprints (character n-gram hashes, MinHash signatures), near-duplicate
search across a corpus (:mod:`.similar`), and the copy check with passages and boilerplate."""

__all__: list[str] = []  # see the submodules: fingerprint, similar, check, align, boilerplate
