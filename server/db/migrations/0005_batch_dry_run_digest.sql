ALTER TABLE "batch_chunks" ADD COLUMN "dry_run_digest" text;--> statement-breakpoint
ALTER TABLE "batch_jobs" ADD COLUMN "dry_run_rejected_rows" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Jobs recorded before: rows rejected in a dry run (and so excluded) were counted as rejected.
UPDATE "batch_jobs" AS "job" SET "dry_run_rejected_rows" = "found"."rows", "rejected_rows" = "job"."rejected_rows" - "found"."rows"
FROM (
	SELECT "outcome"."job_id", count(*)::int AS "rows" FROM "batch_row_outcomes" AS "outcome"
	JOIN "batch_chunks" AS "chunk" ON "chunk"."job_id" = "outcome"."job_id" AND "chunk"."seq" = "outcome"."chunk_seq"
	WHERE "outcome"."outcome" = 'rejected' AND "chunk"."dry_run_state" = 'failed'
	GROUP BY "outcome"."job_id"
) AS "found"
WHERE "found"."job_id" = "job"."id";
