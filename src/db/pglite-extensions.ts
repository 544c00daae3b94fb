import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/**
 * The extensions every embedded database loads: what the migrations create (`pg_trgm`, 0024: the
 * residents search by part of a name). The same on the app's thread and in the worker thread.
 */
export const PGLITE_EXTENSIONS = { pg_trgm };
