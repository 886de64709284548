"""Operations: backing the database up, putting a backup back, the scheduled backup job."""
