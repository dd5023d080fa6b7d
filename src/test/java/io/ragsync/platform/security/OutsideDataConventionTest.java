package io.ragsync.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Rule 16: no Simple expression in routes/ or sql/ calls a method or an index on a message value (Camel's bean
 * language takes a String root as a bean reference: "#class:..." would be instantiated), and no endpoint URI is
 * built at run time, except the expressions listed below on hub-made values.
 */
class OutsideDataConventionTest {

    /** A Simple function that goes through OGNL (method, property or index) on a message value. */
    private static final Pattern OGNL = Pattern.compile(
            "^(?:(?:in\\.)?body|(?:mandatory)?[bB]odyAs\\([^)]*\\)|headerAs\\([^)]*\\))\\s*[.\\[?]"
                    + "|^(?:in\\.)?(?:header|headers|exchangeProperty|variable|variables)[.:][^.\\[?\\s]+\\s*[.\\[?]"
                    + "|^(?:in\\.)?(?:header|headers|exchangeProperty|variable|variables)\\[[^\\]]*\\]\\s*[.\\[?]"
                    + "|^(?:exchange|camelContext)\\s*[.\\[?]");
    private static final Pattern SIMPLE = Pattern.compile("\\$\\{([^{}]*)\\}");
    private static final Pattern SQL_PARAMETER = Pattern.compile(":#\\$\\{([^{}]*)\\}");
    private static final Set<String> DYNAMIC_ENDPOINTS = Set.of("toD", "recipientList", "dynamicRouter", "routingSlip",
            "enrich", "pollEnrich");
    private static final Set<String> URI_HEADERS = Set.of("CamelHttpUri", "CamelHttpPath", "CamelHttpQuery",
            "CamelHttpRawQuery");

    private static final String SQL_ROW = "a sql SelectOne/SelectList result of the hub's own statement (Map/List)";
    private static final String RECORD = "a record or Map a hub bean returned (never a String)";
    private static final String DROP_FILE = "the DropFile record dropFiles.describe made of the consumed file";
    private static final String REST_BATCH = "the RestBatch record restBatches made of the hub's own rows and a page it read";
    private static final String REST_CLAIM = "the RestSchedule.Claim record of this instance and process";
    private static final String RAGFLOW_DOC = "the RagflowDocument record ragflowRequests made of the hub's own row";
    private static final String RAGFLOW_ANSWER = "a RagflowAnswer (or its Item) record ragflowResponses read; never a String";
    private static final String JOB = "the Job record claimedJobs.start made of the hub's own claimed row";
    private static final String FAILURE = "the JobErrors.Failure record jobErrors.failure made of the job's failure";
    private static final String DEFERRAL = "the JobErrors.Deferral record jobErrors.deferral made of the job's failure";
    private static final String CLAIM = "the ProcessClaim.Claim record processClaim.next made";
    private static final String PUSH = "the PushRequests.Request (or Retry) record pushRequests bound and checked";
    private static final String PUSH_JOB = "a row of the push API's own enqueue statements, or the Map of a checked job id";

    /** file|expression -> why the value is hub-made and can never be a String of outside origin. */
    private static final Map<String, String> ALLOWED = new java.util.HashMap<>();

    static {
        allow("routes/ops/deletion-proof.camel.yaml", SQL_ROW, "${variable.proof[ragflow_dataset_id]}",
                "${variable.proof[document_id]}");
        allow("routes/ops/deletion-proof.camel.yaml", RAGFLOW_ANSWER, "${variable.listed.items.size()}");
        allow("sql/ops/record-ragflow-deletion-verified.sql", SQL_ROW, "${variable.proof[id]}");
        allow("routes/ops/ops-metrics.camel.yaml", SQL_ROW,
                "${body[done]}", "${body[eta]}", "${body[failed]}", "${body[percent]}", "${body[rate_per_minute]}", "${body[remaining]}", "${body[since]}", "${body[total]}");
        allow("routes/sources/backend/backend-sync-api.camel.yaml", SQL_ROW,
                "${body[document_id]}", "${body[job_id]}");
        allow("routes/sources/drop/file-drop.camel.yaml", SQL_ROW,
                "${body[action]}", "${body[document_id]}", "${body[job_id]}", "${body[knowledge_base_id]}");
        allow("routes/sources/drop/file-drop.camel.yaml", DROP_FILE,
                "${exchangeProperty.drop.dropPath}", "${exchangeProperty.drop.knowledgeBase}", "${exchangeProperty.drop.skipReason}");
        allow("routes/sources/drop/file-drop-removal.camel.yaml", SQL_ROW,
                "${body[document_id]}", "${body[relative_path]}");
        allow("sql/sources/drop/forget-older-versions.sql", DROP_FILE,
                "${exchangeProperty.drop.dropPath}", "${exchangeProperty.drop.seenKey}");
        allow("sql/sources/drop/register-drop-file.sql", DROP_FILE, "${exchangeProperty.drop.dropPath}",
                "${exchangeProperty.drop.knowledgeBase}", "${exchangeProperty.drop.storagePath}", "${exchangeProperty.drop.title}");
        allow("sql/sources/drop/reject-drop-file.sql", DROP_FILE,
                "${exchangeProperty.drop.dropPath}", "${exchangeProperty.drop.storagePath}");
        allow("sql/sources/drop/select-knowledge-base-target.sql", DROP_FILE, "${exchangeProperty.drop.knowledgeBase}");
        allow("sql/sources/drop/skip-drop-file.sql", DROP_FILE, "${exchangeProperty.drop.dropPath}",
                "${exchangeProperty.drop.skipReason}", "${exchangeProperty.drop.storagePath}");
        allow("sql/sources/rest/claim-rest-source.sql", REST_CLAIM,
                "${exchangeProperty.claim.instanceId}", "${exchangeProperty.claim.token}");
        allow("sql/sources/rest/renew-rest-source-leases.sql", REST_CLAIM, "${exchangeProperty.claim.token}");
        allow("routes/sources/push/push-api-support.camel.yaml", SQL_ROW,
                "${variable.jobState[state]}", "${variable.jobState[sync_ms]}", "${variable.jobState[timed_out]}");
        allow("routes/sources/push/push-api-support.camel.yaml", PUSH, "${variable.push.waitMs}");
        allow("routes/sources/push/push-cleanup.camel.yaml", SQL_ROW,
                "${variable.cleaned[chunks]}", "${variable.cleaned[documents]}");
        allow("routes/sources/push/push-cleanup.camel.yaml", PUSH, "${variable.push.chatbotId}");
        allow("routes/sources/push/push-cleanup.camel.yaml", PUSH_JOB, "${variable.pushJob[job_id]}");
        allow("routes/sources/push/push-delete.camel.yaml", SQL_ROW,
                "${variable.deleted[chunk_count]}", "${variable.deleted[document_id]}", "${variable.deleted[file_path]}");
        allow("routes/sources/push/push-delete.camel.yaml", PUSH,
                "${variable.push.chatbotId}", "${variable.push.sourceId}", "${variable.push.sourceType}");
        allow("routes/sources/push/push-delete.camel.yaml", PUSH_JOB, "${variable.pushJob[job_id]}");
        allow("routes/sources/push/push-embed.camel.yaml", PUSH, "${variable.push.content}");
        allow("routes/sources/push/push-jobs.camel.yaml", PUSH, "${variable.push.oneSource}");
        allow("routes/sources/push/push-jobs.camel.yaml", "a List a hub bean or statement returned",
                "${variable.retried.size()}");
        allow("routes/sources/push/push-link-fetch.camel.yaml", PUSH,
                "${variable.push.sourceId}", "${variable.push.url}");
        allow("routes/sources/push/push-store.camel.yaml", SQL_ROW,
                "${variable.chatbot[created]}", "${variable.chatbot[name]}", "${variable.stored[document_id]}", "${variable.stored[revision]}");
        allow("routes/sources/push/push-store.camel.yaml", PUSH,
                "${variable.push.chatbotId}", "${variable.push.contentBytes}", "${variable.push.content}", "${variable.push.sourceId}", "${variable.push.sourceType}");
        allow("routes/sources/push/push-store.camel.yaml", PUSH_JOB, "${variable.pushJob[job_id]}");
        allow("sql/sources/push/delete-push-source.sql", PUSH,
                "${variable.push.sourceId}", "${variable.push.sourceType}");
        allow("sql/sources/push/enqueue-push-document.sql", PUSH, "${variable.push.waitMs}");
        allow("sql/sources/push/enqueue-push-document.sql", SQL_ROW, "${variable.stored[document_id]}");
        allow("sql/sources/push/ensure-chatbot.sql", PUSH, "${variable.push.chatbotId}");
        allow("sql/sources/push/lock-chatbot.sql", PUSH, "${variable.push.chatbotId}");
        allow("sql/sources/push/retry-push-jobs.sql", PUSH,
                "${variable.push.chatbotId}", "${variable.push.errors}", "${variable.push.jobId}", "${variable.push.pending}");
        allow("sql/sources/push/select-chatbot.sql", PUSH, "${variable.push.chatbotId}");
        allow("sql/sources/push/select-delete-job.sql", SQL_ROW, "${variable.deleted[document_id]}");
        allow("sql/sources/push/select-delete-job.sql", PUSH, "${variable.push.waitMs}");
        allow("sql/sources/push/select-push-job.sql", PUSH_JOB,
                "${variable.pushJob[deadline]}", "${variable.pushJob[job_id]}");
        allow("sql/sources/push/select-push-source.sql", PUSH,
                "${variable.push.sourceId}", "${variable.push.sourceType}");
        allow("sql/sources/push/upsert-push-document.sql", PUSH,
                "${variable.push.chatbotId}", "${variable.push.contentBytes}", "${variable.push.contentSha256}", "${variable.push.metadataJson}", "${variable.push.sourceId}", "${variable.push.sourceType}", "${variable.push.title}", "${variable.push.url}");
        allow("routes/sources/rest/rest-batch.camel.yaml", SQL_ROW, "${body[enabled]}");
        allow("sql/sources/rest/advance-rest-cursor.sql", REST_BATCH,
                "${variable.batch.page.done}", "${variable.batch.page.etag}", "${variable.batch.page.httpStatus}", "${variable.batch.page.items}", "${variable.batch.page.lastModified}", "${variable.batch.page.newChunks}", "${variable.batch.page.next}", "${variable.batch.source.fetchedCursor}", "${variable.batch.source.firstPage}", "${variable.batch.source.wasDone}", "${variable.batch.url}",
                "${variable.batch.page.pastReportedEnd}", "${variable.batch.pageKey}");
        allow("sql/sources/rest/attach-rest-chunks.sql", REST_BATCH,
                "${variable.batch.day.documentId}", "${variable.batch.day.syncDate}");
        allow("sql/sources/rest/enqueue-rest-document.sql", REST_BATCH,
                "${variable.batch.day.documentId}", "${variable.batch.day.knowledgeBaseId}");
        allow("sql/sources/rest/ensure-rest-daily-document.sql", REST_BATCH,
                "${variable.batch.day.documentTitle}", "${variable.batch.day.filePath}", "${variable.batch.day.knowledgeBaseId}", "${variable.batch.day.syncDate}");
        allow("sql/sources/rest/insert-rest-chunks.sql", REST_BATCH,
                "${variable.batch.day.syncDate}");
        allow("sql/sources/rest/record-rest-failure.sql", REST_BATCH,
                "${variable.batch.failure.backoffSeconds}", "${variable.batch.failure.error}", "${variable.batch.failure.httpStatus}", "${variable.batch.failure.retryAfterSeconds}", "${variable.batch.failure.status}", "${variable.batch.url}");
        allow("sql/sources/rest/record-rest-not-modified.sql", REST_BATCH,
                "${variable.batch.source.fetchedCursor}", "${variable.batch.source.wasDone}", "${variable.batch.url}");
        allow("sql/sources/rest/select-rest-day-chunks.sql", REST_BATCH,
                "${variable.batch.day.syncDate}");
        allow("routes/sources/rest/rest-batch.camel.yaml", REST_BATCH,
                "${variable.batch.day.documentTitle}", "${variable.batch.day.filePath}", "${variable.batch.failure.error}", "${variable.batch.failure.status}", "${variable.batch.page.newChunks}", "${variable.batch.page.outcome}", "${variable.batch.page.rows.size()}", "${variable.batch.page.rows}");
        allow("routes/jobs/job-maintenance.camel.yaml", SQL_ROW,
                "${body[document_id]}", "${body[job_id]}", "${body[last_error]}", "${body[status]}");
        // claimedJobs.start puts Job.route (a fixed table over database-constrained columns) in property jobRoute
        allow("routes/jobs/sync-job.camel.yaml", JOB + ": Job.route, one of the fixed target routes", "#toD");
        for (String sql : List.of("succeed-job", "fail-job", "retry-job", "release-job")) {
            allow("sql/jobs/" + sql + ".sql", JOB, "${variable.job.id}");
        }
        for (String sql : List.of("succeed-job", "fail-job", "retry-job", "release-job", "defer-job")) {
            allow("sql/jobs/" + sql + ".sql", JOB, "${variable.job.claim}");
        }
        allow("sql/jobs/fail-job.sql", JOB, "${variable.job.row}");
        allow("sql/jobs/succeed-parsed-jobs.sql", "the ParsedDocuments.Batch record the parse tracker's split gathers"
                + " from its own checks", "${body.jobIds}", "${body.datasetIds}", "${body.messages}", "${body.progress}",
                "${body.chunks}", "${body.claims}");
        allow("sql/jobs/retry-job.sql", JOB, "${variable.job.row}");
        allow("sql/jobs/defer-job.sql", DEFERRAL, "${variable.deferral.message}", "${variable.deferral.seconds}");
        allow("sql/jobs/fail-job.sql", FAILURE, "${variable.failure.outcome}", "${variable.failure.message}",
                "${variable.failure.routeId}");
        allow("sql/jobs/retry-job.sql", FAILURE, "${variable.failure.message}", "${variable.failure.retryAfterSeconds}",
                "${variable.failure.routeId}");
        allow("routes/jobs/sync-job.camel.yaml", FAILURE, "${variable.failure.outcome}");
        allow("routes/jobs/job-poller.camel.yaml", CLAIM, "${exchangeProperty.claim.limit}");
        allow("sql/jobs/claim-jobs.sql", CLAIM, "${exchangeProperty.claim.limit}", "${exchangeProperty.claim.token}",
                "${exchangeProperty.claim.claiming}", "${exchangeProperty.claim.ragflowOpen}",
                "${exchangeProperty.claim.queueSingle}");
        allow("routes/targets/local/local-retrieval.camel.yaml", RECORD,
                "${exchangeProperty.retrievalQuery.blank}", "${exchangeProperty.retrievalQuery.question}");
        allow("routes/targets/local/local-retrieval.camel.yaml", "the RagflowRetrieval.Scope record ragflowRetrieval.scope"
                + " made of the hub's own rows", "${exchangeProperty.retrievalScope.ragflow}");
        allow("routes/targets/local/local-upsert.camel.yaml", RECORD,
                "${exchangeProperty.chunked.truncated}", "${exchangeProperty.plan.batchCount}", "${exchangeProperty.plan.computed}", "${exchangeProperty.plan.reused}");
        allow("routes/targets/local/local-upsert.camel.yaml", SQL_ROW,
                "${exchangeProperty.doc[rest_source_id]}", "${exchangeProperty.indexed[meta_hash]}");
        allow("routes/targets/ragflow/ragflow-dataset.camel.yaml", SQL_ROW,
                "${body[ragflow_dataset_id]}");
        allow("routes/targets/ragflow/ragflow-dataset.camel.yaml", RAGFLOW_DOC,
                "${exchangeProperty.doc.kbDatasetId}");
        allow("routes/targets/ragflow/ragflow-dataset.camel.yaml", RAGFLOW_ANSWER,
                "${variable.dataset.id}", "${variable.dataset.name}");
        allow("routes/targets/ragflow/ragflow-delete.camel.yaml", SQL_ROW,
                "${body[ragflow_dataset_id]}");
        allow("routes/targets/ragflow/ragflow-delete.camel.yaml", RAGFLOW_DOC,
                "${exchangeProperty.doc.datasetId}", "${exchangeProperty.doc.mayHaveLeftovers}", "${exchangeProperty.doc.ragflowDocumentId}");
        allow("routes/targets/ragflow/ragflow-delete.camel.yaml", RAGFLOW_ANSWER,
                "${variable.copies.ids}", "${variable.copies.items.size()}");
        allow("routes/targets/ragflow/ragflow-parse.camel.yaml", SQL_ROW, "${variable.claimed[ragflow_document_id]}",
                "${variable.claimed[previous_ragflow_document_id]}");
        allow("routes/targets/ragflow/ragflow-reconcile.camel.yaml", "ReconcilePlanner's report Map",
                "${body[datasetsRecreated]}", "${body[missing]}", "${body[orphans]}", "${body[stale]}", "${body[status]}");
        allow("routes/targets/ragflow/ragflow-reconcile.camel.yaml", SQL_ROW,
                "${body[knowledge_base_id]}", "${body[ragflow_dataset_id]}");
        allow("routes/targets/ragflow/ragflow-reconcile.camel.yaml", RAGFLOW_ANSWER,
                "${variable.datasetFound.message}", "${variable.datasetFound.ok}");
        allow("routes/targets/ragflow/ragflow-reconcile-repair.camel.yaml", "ReconcilePlanner's plan Map",
                "${body[listed]}", "${body[missing]}", "${body[orphanIds]}", "${body[stale]}");
        allow("routes/targets/ragflow/ragflow-reconcile-repair.camel.yaml", RAGFLOW_ANSWER,
                "${variable.deletedBatch.message}", "${variable.deletedBatch.ok}");
        allow("routes/targets/ragflow/ragflow-upsert.camel.yaml", RAGFLOW_DOC,
                "${exchangeProperty.doc.indexed}", "${exchangeProperty.doc.mayHaveLeftovers}",
                "${exchangeProperty.doc.metaChanged}", "${exchangeProperty.doc.metaChange}",
                "${exchangeProperty.doc.ragflowDocumentId}", "${exchangeProperty.doc.syncedDatasetId}", "${exchangeProperty.doc.unchanged}",
                "${exchangeProperty.doc.replacedFirst}");
        allow("routes/targets/ragflow/ragflow-upsert.camel.yaml", "a List a hub bean returned",
                "${variable.leftovers.size()}");
        allow("sql/targets/ragflow/insert-kb-dataset.sql", RAGFLOW_ANSWER,
                "${variable.dataset.id}", "${variable.dataset.name}");
        allow("sql/targets/ragflow/mark-document-uploading.sql", RAGFLOW_DOC,
                "${exchangeProperty.doc.documentId}", "${exchangeProperty.doc.knowledgeBaseId}", "${exchangeProperty.doc.name}",
                "${exchangeProperty.doc.swap}");
        allow("sql/targets/ragflow/forget-previous-version.sql", SQL_ROW,
                "${variable.claimed[previous_ragflow_document_id]}");
        allow("sql/targets/ragflow/restore-previous-version.sql", SQL_ROW,
                "${variable.claimed[previous_ragflow_document_id]}");
        allow("sql/targets/ragflow/record-document-meta.sql", RAGFLOW_DOC,
                "${exchangeProperty.doc.documentId}", "${exchangeProperty.doc.newMetaHash}");
        allow("sql/targets/ragflow/record-document-uploaded.sql", RAGFLOW_DOC,
                "${exchangeProperty.doc.contentHash}", "${exchangeProperty.doc.documentId}", "${exchangeProperty.doc.file.size}",
                "${exchangeProperty.doc.ragflowDocumentId}", "${exchangeProperty.doc.ragflowDocumentName}");
        allow("sql/targets/ragflow/select-mapped-document-ids.sql", RAGFLOW_DOC,
                "${exchangeProperty.doc.documentId}", "${exchangeProperty.doc.syncedDatasetId}");
        allow("sql/sources/drop/register-drop-file.sql", "StoredFile record from storageFiles.resolve",
                "${exchangeProperty.file.sha256}", "${exchangeProperty.file.size}");
        allow("sql/jobs/requeue-jobs.sql", "ApiRequests.Requeue record, bound and checked by apiRequests.requeue",
                "${variable.requeue.status}", "${variable.requeue.documentId}");
        allow("sql/targets/local/record-document-indexed.sql", "StoredFile record from storageFiles.resolve",
                "${exchangeProperty.file.sha256}", "${exchangeProperty.file.size}");
    }

    private static void allow(String file, String reason, String... expressions) {
        for (String expression : expressions) {
            ALLOWED.put(file + "|" + expression, reason);
        }
    }

    @Test
    void noSimpleExpressionEvaluatesAMessageValue() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : files("routes", ".camel.yaml")) {
            walk(file, load(file), null, found);
        }
        for (Path file : files("sql", ".sql")) {
            Matcher m = SQL_PARAMETER.matcher(Files.readString(file));
            while (m.find()) {
                check(file, m.group(1), found);
            }
        }
        assertThat(found).as("OGNL/index on message values and dynamic endpoints (rule 16)").isEmpty();
    }

    @Test
    void theAllowListHasNoStaleEntries() throws IOException {
        Set<String> seen = new TreeSet<>();
        for (Path file : files("routes", ".camel.yaml")) {
            collect(file, Files.readString(file), SIMPLE, seen);
        }
        for (Path file : files("sql", ".sql")) {
            collect(file, Files.readString(file), SQL_PARAMETER, seen);
        }
        assertThat(seen).containsAll(ALLOWED.keySet().stream().filter(k -> !k.contains("|#")).toList());
    }

    @Test
    void thePatternCatchesEveryOgnlForm() {
        for (String ognl : List.of("body.length()", "body[0]", "body?.x", "in.body.size()", "bodyAs(String).length()",
                "mandatoryBodyAs(String).trim()", "header.CamelFileName.length()", "headers.x[0]",
                "header:x.y", "exchangeProperty.doc[id]", "exchangeProperty.doc.size()", "variable.x.y",
                "variables.x[1]", "exchange.message.body", "camelContext.name", "headers[x].y")) {
            assertThat(OGNL.matcher(ognl).find()).as(ognl).isTrue();
        }
        for (String plain : List.of("body", "header.CamelSqlRowCount", "exchangeProperty.jobId", "variable.x",
                "bodyAs(String)", "file:name", "exception.message", "properties:app.x", "date:now")) {
            assertThat(OGNL.matcher(plain).find()).as(plain).isFalse();
        }
    }

    private static void collect(Path file, String text, Pattern pattern, Set<String> into) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            into.add(file.toString().replace('\\', '/') + "|${" + m.group(1) + "}");
        }
    }

    private static void walk(Path file, Object node, String key, List<String> found) {
        if (node instanceof Map<?, ?> map) {
            if (map.get("name") instanceof String header && URI_HEADERS.contains(header)) {
                // a URI header is an endpoint address: only the allowed hub-made forms may be computed
                found.addAll(uriHeader(file, map.get("expression")));
            }
            map.forEach((k, v) -> {
                if (DYNAMIC_ENDPOINTS.contains(String.valueOf(k))
                        && !ALLOWED.containsKey(file.toString().replace('\\', '/') + "|#" + k)) {
                    found.add(file + ": dynamic endpoint " + k);
                }
                walk(file, v, String.valueOf(k), found);
            });
        } else if (node instanceof List<?> list) {
            list.forEach(v -> walk(file, v, key, found));
        } else if (node instanceof String text) {
            Matcher m = SIMPLE.matcher(text);
            while (m.find()) {
                check(file, m.group(1), found);
            }
        }
    }

    private static List<String> uriHeader(Path file, Object expression) {
        List<String> out = new ArrayList<>();
        String text = String.valueOf(expression);
        Matcher m = SIMPLE.matcher(text);
        while (m.find()) {
            String key = file.toString().replace('\\', '/') + "|${" + m.group(1) + "}";
            if (!ALLOWED.containsKey(key)) {
                out.add(key + " builds an HTTP URI, path or query");
            }
        }
        return out;
    }

    private static void check(Path file, String expression, List<String> found) {
        String key = file.toString().replace('\\', '/') + "|${" + expression + "}";
        if (OGNL.matcher(expression.strip()).find() && !ALLOWED.containsKey(key)) {
            found.add(key);
        }
    }

    private static Object load(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml(new LoaderOptions()).load(reader);
        }
    }

    private static List<Path> files(String folder, String suffix) throws IOException {
        try (Stream<Path> walk = Files.walk(Path.of(folder))) {
            return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
