// Applies pending Prisma migrations (`prisma migrate deploy`) through the
// offline schema-engine stand-in (scripts/prisma.sh). Idempotent.
//
//   npm run migrate                      # DATABASE_URL, or the local dev database
//   DATABASE_URL=postgresql://... npx tsx scripts/migrate.ts
//
// The database is created if it does not exist (the CLI does that for
// migrate deploy). On failure: one line on stderr and exit code 1.
import { childProcessEnv, DEFAULT_DATABASE_URL, scriptEnv } from "../app/config/env.server";
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PRISMA_SH = path.join(ROOT, "scripts", "prisma.sh");

export class MigrationError extends Error {
  constructor(
    message: string,
    /** Prisma's error code (P1001, P3009, P3018, ...), when it gave one. */
    readonly code: string | undefined,
    /** Everything the CLI printed, for debugging. */
    readonly output: string,
  ) {
    super(message);
    this.name = "MigrationError";
  }
}

export interface PrismaRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface PrismaOptions {
  /** A prisma.config.ts to use instead of the project's (tests point it at a
   * copy of the migrations folder). */
  configFile?: string;
}

/** Runs the project's Prisma CLI with the stand-in engine against databaseUrl. */
export function runPrisma(args: string[], databaseUrl: string, options: PrismaOptions = {}): Promise<PrismaRun> {
  const fullArgs = options.configFile ? [...args, "--config", options.configFile] : args;
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [PRISMA_SH, ...fullArgs], {
      cwd: ROOT,
      env: childProcessEnv({ DATABASE_URL: databaseUrl, NO_COLOR: "1" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ exitCode: code ?? 1, stdout, stderr }));
  });
}

/** Applies pending migrations; returns the names of those it applied. */
export async function applyMigrations(
  databaseUrl: string,
  options: PrismaOptions = {},
): Promise<{ applied: string[] }> {
  const run = await runPrisma(["migrate", "deploy"], databaseUrl, options);
  const output = `${run.stdout}\n${run.stderr}`;
  if (run.exitCode !== 0) throw explainFailure(output, databaseUrl);
  if (/No pending migrations to apply/.test(run.stdout)) return { applied: [] };
  if (!/All migrations have been successfully applied/.test(run.stdout)) {
    throw new MigrationError(`migrate deploy gave no clear result:\n${output}`, undefined, output);
  }
  // The CLI lists what it applied as a tree: "  └─ 20261123130408_init/".
  const applied = [...run.stdout.matchAll(/└─ ([^/\s]+)\/\s*$/gm)].map((m) => m[1]);
  return { applied };
}

/** One clear line from the CLI's multi-line error output. */
function explainFailure(output: string, databaseUrl: string): MigrationError {
  const code = /Error: (P\d{4})/.exec(output)?.[1];
  const line = (pattern: RegExp) => pattern.exec(output)?.[1]?.trim();
  let message: string;
  switch (code) {
    case "P1001": {
      const { hostname, port } = new URL(databaseUrl);
      message = `cannot reach PostgreSQL at ${hostname}:${port || 5432} — start it or set DATABASE_URL`;
      break;
    }
    case "P1000":
      message = "PostgreSQL rejected the credentials in DATABASE_URL (P1000)";
      break;
    case "P3018": {
      const name = line(/Migration name: (.+)/);
      const dbError = line(/Database error:\n(.+)/);
      message = `migration ${name} failed and was not applied: ${dbError} (P3018). Fix it, then: bash scripts/prisma.sh migrate resolve --rolled-back ${name}`;
      break;
    }
    case "P3009": {
      const name = line(/The `([^`]+)` migration started at/);
      message = `migration ${name} failed earlier, so no new migrations are applied (P3009). Fix the database, then: bash scripts/prisma.sh migrate resolve --rolled-back ${name} (or --applied)`;
      break;
    }
    default: {
      const first = output
        .split("\n")
        .map((l) => l.trim())
        .find((l) => l.startsWith("Error"));
      message = `migrate deploy failed: ${first ?? output.trim().split("\n").at(-1) ?? "no output"}`;
      if (code && !message.includes(code)) message += ` (${code})`;
    }
  }
  return new MigrationError(message, code, output);
}

async function main(): Promise<void> {
  const databaseUrl = scriptEnv().DATABASE_URL ?? DEFAULT_DATABASE_URL;
  try {
    const { applied } = await applyMigrations(databaseUrl);
    console.log(
      applied.length === 0 ? "No pending migrations" : `Applied ${applied.length} migration(s): ${applied.join(", ")}`,
    );
  } catch (error) {
    console.error(`migrate: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main();
}
