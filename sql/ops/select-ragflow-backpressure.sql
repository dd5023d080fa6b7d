-- Whether uploads to RAGFlow are held back now, and why (V99).
SELECT parsing, oldest_parse_seconds, holding_back, reason
  FROM ragsync_ragflow_backpressure(:#${properties:app.ragflow.backpressure.max-parsing},
                                    :#${properties:app.ragflow.backpressure.backlog-seconds})
