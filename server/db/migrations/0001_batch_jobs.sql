CREATE TABLE "batch_chunks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"job_id" text NOT NULL,
	"seq" integer NOT NULL,
	"parent_seq" integer,
	"row_ranges" jsonb NOT NULL,
	"row_count" integer NOT NULL,
	"first_line" integer NOT NULL,
	"last_line" integer NOT NULL,
	"dry_run_state" text DEFAULT 'none' NOT NULL,
	"dry_run_request_id" text,
	"dry_run_error_code" text,
	"dry_run_error_description" text,
	"state" text DEFAULT 'pending' NOT NULL,
	"request_id" text,
	"token_count" integer DEFAULT 0 NOT NULL,
	"error_code" text,
	"error_description" text,
	"submitted_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"checks" integer DEFAULT 0 NOT NULL,
	"next_check_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "batch_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by_id" text NOT NULL,
	"created_by_email" text NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"file_bytes" integer NOT NULL,
	"file_rows" integer NOT NULL,
	"row_count" integer NOT NULL,
	"excluded_rows" integer DEFAULT 0 NOT NULL,
	"generated_rows" integer DEFAULT 0 NOT NULL,
	"chunk_size" integer NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"submitted_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"tokens_created" integer DEFAULT 0 NOT NULL,
	"already_present" integer DEFAULT 0 NOT NULL,
	"rejected_rows" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "batch_row_outcomes" (
	"job_id" text NOT NULL,
	"row_index" integer NOT NULL,
	"line" integer NOT NULL,
	"chunk_seq" integer NOT NULL,
	"outcome" text NOT NULL,
	"error_code" text,
	"error_description" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "batch_row_outcomes_job_id_row_index_pk" PRIMARY KEY("job_id","row_index")
);
--> statement-breakpoint
ALTER TABLE "batch_chunks" ADD CONSTRAINT "batch_chunks_job_id_batch_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."batch_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_row_outcomes" ADD CONSTRAINT "batch_row_outcomes_job_id_batch_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."batch_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "batch_chunks_job_seq_idx" ON "batch_chunks" USING btree ("job_id","seq");--> statement-breakpoint
CREATE INDEX "batch_jobs_created_at_idx" ON "batch_jobs" USING btree ("created_at" DESC NULLS LAST);