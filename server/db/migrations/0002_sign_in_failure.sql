CREATE TABLE "sign_in_failure" (
	"email" text PRIMARY KEY NOT NULL,
	"count" integer NOT NULL,
	"window_started_at" bigint NOT NULL,
	"last_failure_at" bigint NOT NULL
);
