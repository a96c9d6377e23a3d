"""Normal forms of the things officers search customers by (postcodes and phone numbers) and
of the email address the report figures tell people apart by (a key, not the address)."""

from __future__ import annotations

import hashlib
import re

# A UK postcode: outward code (area, district) and inward code (sector, unit).
POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b")


def postcode_in(text: str) -> str:
    """The last UK postcode in ``text``, as 'SW1A 1AA'; empty if there is none."""
    found = POSTCODE.findall((text or "").upper())
    if not found:
        return ""
    outward, inward = found[-1]
    return f"{outward} {inward}"


def phone_digits(text: str) -> str:
    """A phone number's digits with a UK +44 prefix read as a leading 0: '+44 7700 900123' → '07700900123'."""
    digits = re.sub(r"\D", "", text or "")
    if digits.startswith("44") and len(digits) > 10:
        digits = "0" + digits[2:]
    return digits[:20]


def email_forms(email: str) -> set[str]:
    """The address as typed and in lower case: an exact match on these uses the email index,
    which a case-insensitive comparison cannot."""
    return {email, email.lower()}


def email_key(email: str) -> int | None:
    """A number standing for the address, the same whatever its case or surrounding spaces:
    the first 8 bytes of its BLAKE2b hash as a signed 64-bit integer; None if it is blank.

    Cases carry it (``Case.customer_key``) so that the repeat-complainant figure counts people
    from the case table alone, without a second copy of their addresses there.
    """
    normal = (email or "").strip().lower()
    if not normal:
        return None
    digest = hashlib.blake2b(normal.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def looks_like_postcode(text: str) -> bool:
    return bool(POSTCODE.fullmatch(text.strip().upper()))


def looks_like_phone(text: str) -> bool:
    return bool(re.fullmatch(r"[+()\d\s-]{7,}", text.strip())) and len(phone_digits(text)) >= 7
