// drizzle-kit: generates the SQL migrations in drizzle/ from lib/adapters/db/schema.ts.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./lib/adapters/db/schema.ts",
  out: "./drizzle",
});
