ALTER TABLE "servers" ADD COLUMN "member_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "servers" SET "member_count" = (SELECT count(*) FROM "memberships" WHERE "memberships"."server_id" = "servers"."id");
