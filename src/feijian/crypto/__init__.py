"""Cryptography for feijian: passphrase KDF and seals, identities, key wrapping, bureau trust, minisign, age."""
