-- Delete of a source, step 1 of 4: its chunks.
DELETE FROM kb_rest_chunks WHERE source_id = :#${exchangeProperty.sourceId}
