CREATE TABLE `blob_chunks` (
	`sha256` text NOT NULL,
	`idx` integer NOT NULL,
	`data` blob NOT NULL,
	PRIMARY KEY(`sha256`, `idx`)
);
--> statement-breakpoint
CREATE TABLE `blobs` (
	`sha256` text PRIMARY KEY NOT NULL,
	`size` integer NOT NULL,
	`chunk_size` integer NOT NULL,
	`chunks` integer NOT NULL,
	`created_at` integer NOT NULL
);
