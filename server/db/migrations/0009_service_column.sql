ALTER TABLE "audit_log" ADD COLUMN "service" text;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "service" text DEFAULT 'default' NOT NULL;--> statement-breakpoint
ALTER TABLE "export_jobs" ADD COLUMN "service" text DEFAULT 'default' NOT NULL;