"""The module's tables; every row carries `organisation` and `office` (plain integers)."""

from piccolo.columns import Boolean, Date, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
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
    theory_passed_on = Date(null=True, default=None)  # « date d'obtention du code » (delay rule of 2 days)


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


class ExamFile(Table, tablename=P + "exam_file"):
    """A « dossier d'examen »: one élève's practical exam at a centre's session, booked with a provider.

    `idempotency_key` (unique) is the key sent to the provider for (élève, slot, attempt): the same click
    twice, or a retry after a lost answer, lands on the same file and the same provider booking.

    A Printel file is one élève on a place of a captured lot: `allocated_place` is the lot's id (null for a
    booked session), `slot_id` is `printel:<numéro>:<NEPH at assignment>` (what Printel releases)."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    student = Integer(index=True)
    provider = Varchar(length=40)
    provider_ref = Varchar(length=100, default="")
    slot_id = Varchar(length=200)
    idempotency_key = Varchar(length=200, unique=True)
    centre_id = Varchar(length=100)
    centre_name = Varchar(length=200)
    exam_type = Varchar(length=10)
    category = Varchar(length=10)
    inspector = Varchar(length=100, default="")
    day = Date()
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    status = Varchar(length=12, default="reserve")  # reserve, annule, admis, echec, absent (passe: demo)
    points = Integer(null=True, default=None)
    late_cancellation = Boolean(default=False)
    cancelled_on = Date(null=True, default=None)
    calendar_booking = Integer(null=True, default=None)
    sequence = Integer(default=0)
    token = Varchar(length=40)
    created_by = Integer(null=True, default=None)
    allocated_place = Integer(null=True, default=None, index=True)


class AllocatedPlace(Table, tablename=P + "allocated_place"):
    """Exam places a provider (Printel) allocated to the school, captured once: `dedup` is
    `<organisation>:<provider>:<numéro>` (unique), so a re-capture never duplicates a lot; it updates the
    lot's lieu, date, time and number of places when Printel changed them."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    provider = Varchar(length=50)
    numero = Varchar(length=50)
    cle = Varchar(length=50)
    lieu = Varchar(length=200)
    day = Date()
    places = Integer()
    exam_type = Varchar(length=10, default="")  # voiture, moto, or "" when Printel does not say
    start_time = Varchar(length=5, default="")  # "HH:MM" local when Printel gives the lot's time, else ""
    captured_at = Timestamptz(default=TimestamptzNow())
    dedup = Varchar(length=160, unique=True)


class StudentMandate(Table, tablename=P + "mandate"):
    """The mandate an élève gives the school on a provider (RdvPermis): requested → confirmed or refused by the
    student through the provider's link → revoked. One row per (student, provider): `dedup` is
    `<organisation>:<student id>:<provider>` (unique); asking again after a refusal or a revocation reuses it."""

    id = Serial(primary_key=True)
    organisation = Integer(index=True)
    office = Integer(index=True)
    student = Integer(index=True)
    provider = Varchar(length=50)
    neph = Varchar(length=12)
    mandate_id = Varchar(length=100, default="")
    state = Varchar(length=20)
    confirm_url = Varchar(length=500, default="")
    requested_at = Timestamptz(default=TimestamptzNow())
    synced_at = Timestamptz(default=TimestamptzNow())
    dedup = Varchar(length=120, unique=True)


TABLES = (Student, FavouriteCentre, ExamFile, AllocatedPlace, StudentMandate)
