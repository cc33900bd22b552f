import { readConfig } from "../config.ts";
import { backupSqlite } from "../store/driver/backup.ts";
import { parseCommandLine, runCommand, UsageError } from "./command.ts";

// npm run backup -- <file>: an online copy of the SQLite database named by DATABASE_URL, taken
// while the server runs. PostgreSQL is backed up with its own tools (docs/operations.md).

const usage = `usage:
  npm run backup -- <file>   copies the SQLite database (DATABASE_URL) into <file>, a new file,
                             while the server keeps running`;

runCommand("backup", "npm run backup -- --help", async () => {
  const { values, positionals } = parseCommandLine({ help: { type: "boolean", short: "h" } }, true);
  if (values.help) {
    console.log(usage);
    return;
  }
  if (positionals.length !== 1) throw new UsageError("the backup file is required, and only it");
  const config = readConfig(process.env);
  const pages = await backupSqlite(config.DATABASE_URL, positionals[0] as string);
  console.error(`backed up ${config.DATABASE_URL.replace(/^file:/, "")} to ${positionals[0]} (${pages} pages)`);
});
