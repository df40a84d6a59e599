import msgspec


class TokenIn(msgspec.Struct, forbid_unknown_fields=True):
    email: str
    password: str
    organisation_id: int | None = None
    name: str = ""


class TokenOut(msgspec.Struct):
    token: str
    organisation_id: int
    member_id: int
    role: str
