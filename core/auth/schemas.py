import msgspec

from core.validation import Email, Id, text


class TokenIn(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    password: text(200)  # type: ignore[valid-type]
    organisation_id: Id | None = None
    name: text(100) = ""  # type: ignore[valid-type]


class TokenOut(msgspec.Struct):
    token: str
    organisation_id: int
    member_id: int
    role: str
