-- Datasets already mapped to a knowledge base: never adopted by another one.
SELECT ragflow_dataset_id FROM kb_dataset
