-- Parks a job (or any message a route could not process) for an operator to look at.
INSERT INTO sync_dead_letter (job_id, document_id, knowledge_base_id, op, route_id, error, payload)
VALUES (:#${exchangeProperty.jobId}, :#${exchangeProperty.documentId}, :#${exchangeProperty.knowledgeBaseId},
        :#${exchangeProperty.op}, :#${exchangeProperty.CamelFailureRouteId}, :#${exchangeProperty.errorMessage},
        :#${exchangeProperty.deadLetterPayload})
