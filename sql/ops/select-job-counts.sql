-- Jobs per status, for the ragsync.jobs gauge and the dashboard (ops_job_counts, V107).
SELECT status, jobs FROM ops_job_counts
