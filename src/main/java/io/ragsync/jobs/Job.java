package io.ragsync.jobs;

import java.util.Map;

/**
 * A claimed job, the one value the job flow carries (variable {@code job}): the columns of the hub's own claimed
 * row (sql/jobs/claim-jobs.sql, sql/targets/ragflow/claim-parse-checks.sql), whose op and target the database constrains.
 *
 * @param claim the claim's number on the job (column claims): its transitions change the job only while that claim holds it
 * @param row the claimed row as text, what a dead letter records
 */
public record Job(Long id, Long documentId, Long knowledgeBaseId, String op, String target, String source,
                  Integer retryCount, Integer claim, String row) {

    /** The target routes, by target and op: the only endpoints a job is dispatched to. */
    private static final Map<String, String> ROUTES = Map.of(
            "ragflow/upsert", "ragflow-upsert-document",
            "ragflow/delete", "ragflow-delete-document",
            "ragflow/delete_kb", "ragflow-delete-knowledge-base",
            "local/upsert", "local-upsert-document",
            "local/delete", "local-delete-document",
            "local/delete_kb", "local-delete-knowledge-base",
            "lightrag/upsert", "lightrag-upsert-document",
            "lightrag/delete", "lightrag-delete-document",
            "lightrag/delete_kb", "lightrag-delete-knowledge-base");

    /** The job of a claimed row. */
    public static Job of(Map<String, Object> row) {
        return new Job(number(row.get("job_id")), number(row.get("document_id")),
                number(row.get("knowledge_base_id")), (String) row.get("op"), (String) row.get("target"),
                (String) row.get("source"), integer(row.get("retry_count")), integer(row.get("claims")),
                row.toString());
    }

    /** The direct: route that runs this job; a pair no route serves fails the job for good. */
    public String route() {
        String route = ROUTES.get(target + "/" + op);
        if (route == null) {
            throw new PermanentSyncException("no target route for op '" + op + "' and target '" + target + "'");
        }
        return route;
    }

    public boolean ragflow() {
        return "ragflow".equals(target);
    }

    private static Integer integer(Object value) {
        return value instanceof Number n ? n.intValue() : null;
    }

    private static Long number(Object value) {
        return value instanceof Number n ? n.longValue() : null;
    }
}
