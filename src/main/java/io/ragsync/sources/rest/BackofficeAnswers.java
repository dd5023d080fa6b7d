package io.ragsync.sources.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/** Answers of the backoffice API that SQL alone does not give (its errors are rendered by ApiErrors). */
@Component("backofficeAnswers")
public class BackofficeAnswers {

    private final ObjectMapper mapper;
    private final RestDocuments documents;

    public BackofficeAnswers(ObjectMapper mapper, RestDocuments documents) {
        this.mapper = mapper;
        this.documents = documents;
    }

    /** A deleted source: its rendered daily files removed (deletedFiles), the answer {deleted, chunks, documents}. */
    public String deleted(Exchange exchange) throws JsonProcessingException {
        Long sourceId = exchange.getProperty("sourceId", Long.class);
        exchange.setProperty("deletedFiles", documents.deleteFiles(sourceId));
        return mapper.writeValueAsString(new Deleted(sourceId, exchange.getProperty("deletedChunks"),
                exchange.getProperty("deletedDocuments")));
    }

    record Deleted(Long deleted, Object chunks, Object documents) {
    }

    /** Sends the body as the JSON answer, with no other header than its content type and no caching. */
    public void respond(Exchange exchange) {
        Message out = exchange.getMessage();
        out.getHeaders().clear();
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setHeader("Cache-Control", "no-store");
    }

    /** The one source of sql/sources/rest/select-rest-sources.sql (a JSON array in the body), or a 404. */
    public String single(Exchange exchange) throws JsonProcessingException {
        var node = mapper.readTree(exchange.getMessage().getBody(String.class));
        if (!node.isArray() || node.isEmpty()) {
            throw new RestSourceNotFoundException("no REST source " + exchange.getProperty("sourceId"));
        }
        return mapper.writeValueAsString(node.get(0));
    }
}
