CREATE TABLE "revoke_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job_id" text NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"client_id" text,
	"subject" text,
	"token_hash" text,
	"outcome" text,
	"count" integer,
	"result_code" text
);
--> statement-breakpoint
CREATE TABLE "revoke_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"service" text NOT NULL,
	"query" jsonb NOT NULL,
	"subjects_uploaded" integer DEFAULT 0 NOT NULL,
	"scan_cursor" jsonb,
	"scanned" integer DEFAULT 0 NOT NULL,
	"clients" jsonb,
	"preview" jsonb,
	"digest" text,
	"reason" text,
	"ticket" text,
	"items_done" integer DEFAULT 0 NOT NULL,
	"items_failed" integer DEFAULT 0 NOT NULL,
	"revoked_tokens" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone,
	"lease_until" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "revoke_items" ADD CONSTRAINT "revoke_items_job_id_revoke_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."revoke_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revoke_jobs" ADD CONSTRAINT "revoke_jobs_id_jobs_id_fk" FOREIGN KEY ("id") REFERENCES "public"."jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "revoke_items_job_key_idx" ON "revoke_items" USING btree ("job_id","key");--> statement-breakpoint
CREATE INDEX "revoke_items_job_outcome_idx" ON "revoke_items" USING btree ("job_id","outcome","id");