-- Paging state of a REST source's current run.
-- past_reported_end: the next page lies at or past the end the API reported (its total, or total pages) after a
-- full page; the run goes on there, and an empty page or a 400/404/416 answer ends it.
-- run_pages: the keys (first 8 bytes of the SHA-256 of the URL) of the pages the run stored; a next page among them
-- is a cursor loop, and app.rest.max-pages-per-run bounds them.
ALTER TABLE kb_rest_cursors ADD COLUMN past_reported_end BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE kb_rest_cursors ADD COLUMN run_pages BIGINT[] NOT NULL DEFAULT '{}';
