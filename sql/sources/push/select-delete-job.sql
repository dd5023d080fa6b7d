-- The delete job the trigger enqueued for the deleted document (or knowledge base), with the answer deadline.
SELECT (SELECT max(j.id) FROM sync_job j
         WHERE j.status = 'queued'
           AND ((CAST(:#${variable.deleted[document_id]} AS BIGINT) IS NOT NULL
                 AND j.document_id = :#${variable.deleted[document_id]} AND j.op = 'delete')
             OR (CAST(:#${variable.deleted[document_id]} AS BIGINT) IS NULL
                 AND j.knowledge_base_id = :#${variable.knowledgeBaseId} AND j.op = 'delete_kb'))) AS job_id,
       clock_timestamp() + make_interval(secs => CAST(:#${variable.push.waitMs} AS DOUBLE PRECISION) / 1000)
           AS deadline
