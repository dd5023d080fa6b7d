-- Concurrency mode 'single': whether a due manager-queue job waits only because another one is processing
-- (counted as a skip in the metrics; the claim itself enforces the rule).
SELECT EXISTS (SELECT 1 FROM sync_job p WHERE p.source = 'queue' AND p.status = 'processing')
       AND EXISTS (SELECT 1 FROM sync_job q
                    WHERE q.source = 'queue' AND q.status = 'queued'
                      AND (q.next_retry_at IS NULL OR q.next_retry_at <= now())) AS skipped
