"""Primary keys handed out before a flush, so the ORM writes many new rows in one executemany."""

from sqlalchemy import false, func, select, update

from models import Model, db

# SQLite cannot return many generated keys in a known order, so without keys of our own the
# ORM inserts new rows one statement each: 100,000 firms, their figures and audit entries
# become 400,000 round trips.


def take_write_lock() -> None:
    """On SQLite, hold the database's write lock from now until commit (PostgreSQL: no-op).

    SQLite writers queue on one lock; once we hold it, nobody else can insert, so the highest id
    read after it stays the highest until we commit."""
    if db.session.get_bind().dialect.name == "sqlite":
        table = Model.metadata.tables["audit_entries"]
        db.session.execute(update(table).where(false()).values(id=table.c.id))


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """`count` unused primary keys of `model`'s table; call take_write_lock() first."""
    if count == 0:
        return []
    table = Model.metadata.tables[model.__tablename__]
    if db.session.get_bind().dialect.name == "postgresql":  # from the sequence: never reused
        sequence = func.pg_get_serial_sequence(table.name, "id")
        taken = select(func.nextval(sequence)).select_from(func.generate_series(1, count))
        return list(db.session.scalars(taken))
    start = (db.session.scalar(select(func.max(table.c.id))) or 0) + 1
    return list(range(start, start + count))
