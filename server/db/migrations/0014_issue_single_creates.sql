ALTER TABLE "issue_chunks" ADD COLUMN "sealed_rows" text;--> statement-breakpoint
ALTER TABLE "issue_chunks" ADD COLUMN "rows_done" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "issue_chunks" ADD COLUMN "in_flight_to" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "issue_jobs" ADD COLUMN "issue_mode" text DEFAULT 'batch' NOT NULL;