-- A guarded batch (src/store/driver/postgresql.ts) goes to the database in one write: its guard
-- and its statements are sent together, and when the guard finds no row this ends the
-- transaction with an error, so that the statements after it do not run.
CREATE FUNCTION "guard_held"("held" boolean) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    IF NOT "held" THEN
        RAISE EXCEPTION 'the guard of a batch found no row' USING ERRCODE = 'SG001';
    END IF;
    RETURN true;
END
$$;
