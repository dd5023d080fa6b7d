-- The job that syncs what was just written: the pending job of the document (enqueued by the trigger in this
-- transaction, or earlier and not yet claimed, so it reads the new file), else a new one: a file replaced at
-- the same path changes no column the triggers watch. Also the deadline of a synchronous answer.
SELECT coalesce((SELECT max(j.id) FROM sync_job j
                  WHERE j.document_id = :#${variable.stored[document_id]} AND j.status = 'queued'),
                ragsync_enqueue(:#${variable.stored[document_id]}, :#${variable.knowledgeBaseId},
                                'upsert', 'push')) AS job_id,
       clock_timestamp() + make_interval(secs => CAST(:#${variable.push.waitMs} AS DOUBLE PRECISION) / 1000)
           AS deadline
