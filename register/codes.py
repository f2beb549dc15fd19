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


def qr_svg(url: str, *, scale: int = 3) -> str:
    """The QR of ``url`` as an inline SVG element (no style attribute: the CSP allows none)."""
    return segno.make(url, error="m").svg_inline(scale=scale, border=2, omitsize=False)


def qr_png(url: str, *, scale: int = 6) -> bytes:
    import io

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
