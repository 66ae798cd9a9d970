"""The pages of the case window."""
