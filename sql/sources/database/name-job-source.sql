-- (hub) The jobs this transaction's document writes enqueue come from a source database (V77's trigger reads it).
SELECT ragsync_enqueue_source('database')
