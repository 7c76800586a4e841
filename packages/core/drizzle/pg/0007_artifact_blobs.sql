CREATE TABLE "blob_chunks" (
	"sha256" text NOT NULL,
	"idx" bigint NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "blob_chunks_sha256_idx_pk" PRIMARY KEY("sha256","idx")
);
--> statement-breakpoint
CREATE TABLE "blobs" (
	"sha256" text PRIMARY KEY NOT NULL,
	"size" bigint NOT NULL,
	"chunk_size" bigint NOT NULL,
	"chunks" bigint NOT NULL,
	"created_at" bigint NOT NULL
);
