CREATE TABLE "stored_services" (
	"slug" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"environment" text NOT NULL,
	"api_version" integer NOT NULL,
	"base_url" text NOT NULL,
	"service_id" text NOT NULL,
	"credentials_sealed" text NOT NULL,
	"key_id" text NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
