"""The module's tables; every row carries `organisation` and `office` (plain integers)."""

from piccolo.columns import Date, Integer, Serial, Varchar
from piccolo.table import Table

P = "passerelle_examens_"


class Student(Table, tablename=P + "student"):
    """An élève of the office; `neph` (12 digits) is unique in the organisation."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    civility = Varchar(length=10)
    last_name = Varchar(length=100)
    first_names = Varchar(length=200)
    birth_date = Date()
    email = Varchar(length=254, default="")
    phone = Varchar(length=30, default="")
    neph = Varchar(length=12, index=True)
    category = Varchar(length=10)


class FavouriteCentre(Table, tablename=P + "favourite_centre"):
    """An exam centre the office keeps at hand (copied from the provider's search)."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    centre_id = Varchar(length=100)
    name = Varchar(length=200)
    departement = Varchar(length=3)
    exam_type = Varchar(length=10)
    city = Varchar(length=100, default="")


TABLES = (Student, FavouriteCentre)
