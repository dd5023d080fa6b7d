-- A dropped file disappeared: its document is deleted (the delete job goes downstream) and the file is
-- forgotten (function in V10). Body: a drop_file row.
SELECT ragsync_forget_drop_file(:#relative_path, 'file-drop') AS job_id
