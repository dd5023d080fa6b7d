package io.ragsync.targets.ragflow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** A RAGFlow answer: code 0, or 102 taken as "absent" (no items); its datasets or documents, and data as sent. */
public record RagflowAnswer(int code, String message, List<Item> items, JsonNode data) {

    public RagflowAnswer(int code, String message, List<Item> items) {
        this(code, message, items, null);
    }

    public boolean ok() {
        return code == 0;
    }

    public Item first() {
        return items.isEmpty() ? null : items.get(0);
    }

    public List<String> ids() {
        return items.stream().map(Item::id).toList();
    }

    /** A dataset or document of an answer; the fields a dataset lacks are null. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Item(String id, String name, String run, @JsonProperty("chunk_count") Long chunkCount,
                       @JsonProperty("progress_msg") String progressMsg, Long size,
                       @JsonProperty("content_hash") String contentHash, @JsonProperty("create_time") Long createTime,
                       @JsonProperty("meta_fields") Map<String, Object> metaFields) {

        /** The backend document id RAGSync tags its uploads with; null when untagged. */
        public Object externalId() {
            return metaFields == null ? null : metaFields.get("external_id");
        }

        /** The last non-empty line of RAGFlow's progress log. */
        public String lastProgressLine() {
            String[] lines = progressMsg == null ? new String[0] : progressMsg.strip().split("\n");
            return lines.length == 0 ? "" : lines[lines.length - 1].strip();
        }
    }
}
