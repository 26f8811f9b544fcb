import { PGlite } from "@electric-sql/pglite";
const pg = new PGlite("memory://");
const r = await pg.query("select name, setting from pg_settings where name in ('fsync','synchronous_commit','wal_level','full_page_writes','wal_sync_method','checkpoint_timeout','max_wal_size','wal_buffers','shared_buffers','commit_delay','wal_writer_delay','jit','wal_compression','huge_pages','track_counts','track_activities','autovacuum')");
console.log(r.rows);
await pg.close();
