CREATE TABLE "session_revocations" (
	"user_id" bigint NOT NULL,
	"kind" text NOT NULL,
	"session_id" bigint NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_revocations_user_id_kind_session_id_pk" PRIMARY KEY("user_id","kind","session_id")
);
--> statement-breakpoint
CREATE INDEX "session_revocations_created_at_idx" ON "session_revocations" USING btree ("created_at");