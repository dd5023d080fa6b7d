-- The delete job the trigger enqueued for the deleted document (or knowledge base), with the answer deadline.
SELECT (SELECT max(j.id) FROM sync_job j
         WHERE j.status = 'queued'
           AND ((CAST(:#${exchangeProperty.documentId} AS BIGINT) IS NOT NULL
                 AND j.document_id = :#${exchangeProperty.documentId} AND j.op = 'delete')
             OR (CAST(:#${exchangeProperty.documentId} AS BIGINT) IS NULL
                 AND j.knowledge_base_id = :#${exchangeProperty.knowledgeBaseId} AND j.op = 'delete_kb'))) AS job_id,
       clock_timestamp() + make_interval(secs => CAST(:#${exchangeProperty.waitMs} AS DOUBLE PRECISION) / 1000)
           AS deadline
