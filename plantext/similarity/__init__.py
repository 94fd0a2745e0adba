"""Comparing plans: fingerprints (character n-gram hashes, MinHash signatures), near-duplicate
search across a corpus (:mod:`.similar`), and the copy check with passages and boilerplate."""
