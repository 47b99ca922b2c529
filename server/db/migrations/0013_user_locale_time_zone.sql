ALTER TABLE "auth_user" ADD COLUMN "locale" text;--> statement-breakpoint
ALTER TABLE "auth_user" ADD COLUMN "time_zone" text;