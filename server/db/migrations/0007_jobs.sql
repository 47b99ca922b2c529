-- One record per job of any type ("jobs"); the issue-from-CSV job's own tables follow the job vocabulary.
CREATE TABLE "jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"state" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"created_by_id" text NOT NULL,
	"created_by_email" text NOT NULL,
	"progress_done" integer DEFAULT 0 NOT NULL,
	"progress_total" integer,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"result" jsonb,
	"error" text
);
--> statement-breakpoint
CREATE INDEX "jobs_type_created_at_idx" ON "jobs" USING btree ("type","created_at" DESC NULLS LAST);--> statement-breakpoint
INSERT INTO "jobs" ("id", "type", "state", "created_at", "updated_at", "finished_at", "created_by_id", "created_by_email", "progress_done", "progress_total")
	SELECT "id", 'issue', "state", "created_at", "updated_at", "finished_at", "created_by_id", "created_by_email", "tokens_created" + "already_present" + "rejected_rows" + "dry_run_rejected_rows", "row_count" FROM "batch_jobs";--> statement-breakpoint
ALTER TABLE "batch_jobs" RENAME TO "issue_jobs";--> statement-breakpoint
ALTER TABLE "batch_chunks" RENAME TO "issue_chunks";--> statement-breakpoint
ALTER TABLE "batch_row_outcomes" RENAME TO "issue_row_outcomes";--> statement-breakpoint
DROP INDEX "batch_jobs_created_at_idx";--> statement-breakpoint
ALTER TABLE "issue_jobs" DROP COLUMN "created_at";--> statement-breakpoint
ALTER TABLE "issue_jobs" DROP COLUMN "updated_at";--> statement-breakpoint
ALTER TABLE "issue_jobs" DROP COLUMN "created_by_id";--> statement-breakpoint
ALTER TABLE "issue_jobs" DROP COLUMN "created_by_email";--> statement-breakpoint
ALTER TABLE "issue_jobs" DROP COLUMN "state";--> statement-breakpoint
ALTER TABLE "issue_jobs" DROP COLUMN "finished_at";--> statement-breakpoint
ALTER TABLE "issue_jobs" RENAME CONSTRAINT "batch_jobs_pkey" TO "issue_jobs_pkey";--> statement-breakpoint
ALTER TABLE "issue_jobs" ADD CONSTRAINT "issue_jobs_id_jobs_id_fk" FOREIGN KEY ("id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "issue_chunks" RENAME CONSTRAINT "batch_chunks_pkey" TO "issue_chunks_pkey";--> statement-breakpoint
ALTER TABLE "issue_chunks" RENAME CONSTRAINT "batch_chunks_job_id_batch_jobs_id_fk" TO "issue_chunks_job_id_issue_jobs_id_fk";--> statement-breakpoint
ALTER INDEX "batch_chunks_job_seq_idx" RENAME TO "issue_chunks_job_seq_idx";--> statement-breakpoint
ALTER SEQUENCE "batch_chunks_id_seq" RENAME TO "issue_chunks_id_seq";--> statement-breakpoint
ALTER TABLE "issue_row_outcomes" RENAME CONSTRAINT "batch_row_outcomes_job_id_row_index_pk" TO "issue_row_outcomes_job_id_row_index_pk";--> statement-breakpoint
ALTER TABLE "issue_row_outcomes" RENAME CONSTRAINT "batch_row_outcomes_job_id_batch_jobs_id_fk" TO "issue_row_outcomes_job_id_issue_jobs_id_fk";
