CREATE TABLE "issue_row_tokens" (
	"job_id" text NOT NULL,
	"row_index" integer NOT NULL,
	"line" integer,
	"token_hash" text NOT NULL,
	CONSTRAINT "issue_row_tokens_job_id_row_index_pk" PRIMARY KEY("job_id","row_index")
);
--> statement-breakpoint
ALTER TABLE "issue_row_tokens" ADD CONSTRAINT "issue_row_tokens_job_id_issue_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."issue_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "issue_row_tokens_hash_idx" ON "issue_row_tokens" USING btree ("token_hash");