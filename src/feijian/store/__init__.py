"""The encrypted case store (SQLCipher), identities and trust files in the data folder, evidence vault, event log."""
