-- Delete of a source, step 4 of 4: the source itself. Its knowledge base stays (it may hold other data).
DELETE FROM kb_sources WHERE id = :#${exchangeProperty.sourceId}
