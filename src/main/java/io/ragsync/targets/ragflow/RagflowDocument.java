package io.ragsync.targets.ragflow;

import io.ragsync.platform.storage.StoredFile;
import java.util.Map;
import java.util.Objects;

/** A backend document as the RAGFlow target knows it and, for an upsert, its file, RAGFlow name and meta_fields. */
public record RagflowDocument(Long documentId, Long knowledgeBaseId, String kbName, String kbDescription,
                              String kbDatasetId, String syncedDatasetId, String ragflowDocumentId,
                              String ragflowDocumentName, String contentHash, String metaHash,
                              String syncStatus, boolean uploadPending, StoredFile file, String name,
                              Map<String, Object> metaFields, String newMetaHash, String previousRagflowDocumentId,
                              String replaceMode) {

    /** The new version goes beside the searchable one until parsed; a move to another dataset is delete-first. */
    public boolean swap() {
        return "swap".equals(replaceMode) && Objects.equals(syncedDatasetId, kbDatasetId);
    }

    /** What an upload replaces first: nothing when swapping the searchable version, else the stored RAGFlow id. */
    public String replacedFirst() {
        return swap() && previousRagflowDocumentId == null ? null : ragflowDocumentId;
    }

    /** The dataset its RAGFlow copy is in, else its knowledge base's (null: it never reached RAGFlow). */
    public String datasetId() {
        return syncedDatasetId != null ? syncedDatasetId : kbDatasetId;
    }

    /** Same content in the same dataset as the stored RAGFlow document: nothing to upload. */
    public boolean unchanged() {
        return ragflowDocumentId != null && file != null && Objects.equals(contentHash, file.sha256())
                && Objects.equals(syncedDatasetId, kbDatasetId);
    }

    public boolean metaChanged() {
        return !Objects.equals(metaHash, newMetaHash);
    }

    public String metaChange() {
        return metaChanged() ? "updated" : "unchanged";
    }

    public boolean indexed() {
        return "indexed".equals(syncStatus);
    }

    /** An earlier upload went unanswered: it may have left a document under this name (or a rename of it). */
    public boolean mayHaveLeftovers() {
        return uploadPending && syncedDatasetId != null && ragflowDocumentName != null;
    }

    /** This document as RAGFlow holds it after the upload into {@code datasetId} as {@code item}. */
    public RagflowDocument uploaded(String datasetId, RagflowAnswer.Item item) {
        return new RagflowDocument(documentId, knowledgeBaseId, kbName, kbDescription, kbDatasetId, datasetId,
                item.id(), item.name(), file.sha256(), null, "uploaded", false, file, name, metaFields, newMetaHash,
                previousRagflowDocumentId, replaceMode);
    }
}
