"""National-number validation and keyed pseudonyms, written as an evaluator would in plain Python.

The same rules as the project's Identifiers module: separators '.', '-' and ' ' are dropped, eleven
digits, month 00-12 (+20 or +40 for bis numbers), day 00-31, check digits 97 - (nine digits mod 97)
or, for births from 2000, 97 - ("2" + nine digits mod 97). Pseudonym: "P" + the first 32 hex
characters of HMAC-SHA-256(key, "rct-pseudonym-v1:" + eleven digits).
"""
import hashlib
import hmac


def normalise(text):
    """The eleven digits of a valid national number, or None."""
    digits = text.replace(".", "").replace("-", "").replace(" ", "")
    if len(digits) != 11 or not digits.isdigit():
        return None
    month, day = int(digits[2:4]), int(digits[4:6])
    if not (month <= 12 or 20 <= month <= 32 or 40 <= month <= 52) or day > 31:
        return None
    nine, check = int(digits[:9]), int(digits[9:])
    if 97 - nine % 97 == check or 97 - (2_000_000_000 + nine) % 97 == check:
        return digits
    return None


def pseudonymiser(key):
    prefix = hmac.new(key, b"rct-pseudonym-v1:", hashlib.sha256)

    def pseudonym(digits):
        h = prefix.copy()
        h.update(digits.encode())
        return "P" + h.hexdigest()[:32]
    return pseudonym


def read_key(path):
    with open(path, "rb") as f:
        return f.read().strip()
