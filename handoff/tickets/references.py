"""Short, readable, unique ticket references such as IU-7K3M9."""

import secrets

# No 0/O, 1/I/L or U/V: references are read aloud and typed from paper.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
LENGTH = 5


def new_reference(prefix: str) -> str:
    return f"{prefix}-" + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
