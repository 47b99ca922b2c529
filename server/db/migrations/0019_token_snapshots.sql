CREATE TABLE "token_snapshot" (
	"service" text NOT NULL,
	"day" text NOT NULL,
	"client_id" text NOT NULL,
	"client_name" text,
	"valid" integer NOT NULL,
	"expired" integer NOT NULL,
	"expiring_7" integer NOT NULL,
	"expiring_30" integer NOT NULL,
	"stale" integer NOT NULL,
	"sampled" integer NOT NULL,
	"counted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "token_snapshot_service_day_client_id_pk" PRIMARY KEY("service","day","client_id")
);
