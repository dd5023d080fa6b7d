-- The deletion proof of one document: every deletion requested for it, its removal from the target and the check
-- that it is absent. A tenant-bound caller sees its tenant's only; NULL when there is none to show.
SELECT json_build_object(
           'documentId', CAST(:#${exchangeProperty.documentId} AS BIGINT),
           'deletions', json_agg(json_build_object(
               'target', p.target,
               'knowledgeBaseId', p.knowledge_base_id,
               'source', p.source,
               'requestedBy', p.requested_by,
               'requestedAt', p.requested_at,
               'requestJobId', p.request_job_id,
               'jobStatus', j.status,
               'jobError', j.last_error,
               'removedAt', p.removed_at,
               'removedByJobId', p.removed_by_job_id,
               'removal', p.removal,
               'verifiedAt', p.verified_at,
               'verifiedAbsent', p.verified_absent,
               'verification', p.verification,
               'proven', p.verified_absent IS TRUE) ORDER BY p.requested_at, p.id)
       )::text AS proof
  FROM deletion_proof p
  LEFT JOIN sync_job j ON j.id = p.request_job_id
 WHERE p.document_id = CAST(:#${exchangeProperty.documentId} AS BIGINT)
   AND (CAST(:#${exchangeProperty.callerTenant} AS TEXT) IS NULL
        OR p.tenant = CAST(:#${exchangeProperty.callerTenant} AS TEXT))
HAVING count(*) > 0
