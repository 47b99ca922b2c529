CREATE TABLE "app_state" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sign_in_failure" ADD COLUMN "scope" text DEFAULT '*' NOT NULL;--> statement-breakpoint
ALTER TABLE "sign_in_failure" DROP CONSTRAINT "sign_in_failure_pkey";--> statement-breakpoint
ALTER TABLE "sign_in_failure" ADD CONSTRAINT "sign_in_failure_email_scope_pk" PRIMARY KEY("email","scope");--> statement-breakpoint
ALTER TABLE "auth_user" ADD COLUMN "demo" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Accounts seeded by demo mode before it marked them: the three published addresses.
UPDATE "auth_user" SET "demo" = true WHERE "email" IN ('admin@demo.local', 'support@demo.local', 'viewer@demo.local');
