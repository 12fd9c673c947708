"""Secrets sent to people (invitation links, calendar addresses): made and hashed here.

A token travels once, in an e-mail or on the page that creates it; only its SHA-256
is stored, so a database dump or backup holds nothing that opens a link. The token
has 256 bits of randomness, so an unsalted fast hash is enough: nothing to brute-force.
"""

import hashlib
import secrets


def new_token() -> tuple[str, str]:
    """A fresh URL-safe token and the hash to store in its place."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
