-- pg_trgm (a contrib module shipped with PostgreSQL, and with PGlite as an extension it loads): the
-- residents search by part of a name. A trusted extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "residents_name_search_trgm_idx" ON "residents" USING gin ("name_search" gin_trgm_ops);