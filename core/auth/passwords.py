"""Argon2id password hashes, computed in a worker thread so a login never blocks the event loop.

Parameters are OWASP's recommended minimum for argon2id (19 MiB, 2 iterations, 1 lane): about 20 ms here,
where argon2-cffi's defaults (64 MiB, 3 iterations, 4 lanes) take over 100 ms of CPU per login.
"""

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return await asyncio.to_thread(_hasher.verify, password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
