"""一品一码: a product's safety code and its QR image, made offline.

The code is made once from the enterprise's USCC and the product's name, so
that importing the same product again never changes it (a printed label stays
good); it is 12 characters of an alphabet without look-alikes (no 0/O, 1/I)."""
import hashlib

import segno

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols, 5 bits each
CODE_LENGTH = 12


def product_code(*, uscc: str, name: str) -> str:
    digest = int.from_bytes(hashlib.sha256(f"{uscc}\x1f{name}".encode()).digest()[:8], "big")
    chars = []
    for _ in range(CODE_LENGTH):
        digest, index = divmod(digest, 32)
        chars.append(ALPHABET[index])
    return "".join(chars)


def is_code(text: str) -> bool:
    return isinstance(text, str) and len(text) == CODE_LENGTH and all(char in ALPHABET for char in text)


def qr_data_uri(url: str, *, scale: int = 4) -> str:
    """The QR of ``url`` as a PNG ``data:`` URI, for an ``<img>`` (the CSP allows ``data:`` images)."""
    return segno.make(url, error="m").png_data_uri(scale=scale, border=4)
