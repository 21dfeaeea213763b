#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, for machines that
// cannot download it from binaries.prisma.sh (see
// docs/decisions/003-offline-prisma-migrations.md).
//
// The Prisma CLI runs whatever PRISMA_SCHEMA_ENGINE_BINARY names (scripts/prisma.sh
// sets it to this file) in two ways:
//   1. `<bin> [--datamodels <file>]... [--datasource <json>] ...` and then
//      newline-delimited JSON-RPC 2.0 over stdin/stdout (migrate, db push, diff);
//   2. `<bin> --datasource <json> cli <command>` and `<bin> --version`, one shot.
// We answer (1) with the WebAssembly build of the same engine
// (@prisma/schema-engine-wasm) talking to PostgreSQL through @prisma/adapter-pg,
// and (2) with a few lines of `pg`.
//
// The CLI swallows our stderr, so everything worth knowing goes to LOG_FILE.

import { appendFileSync, readFileSync, statSync, truncateSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as wasmBindings from "@prisma/schema-engine-wasm/schema_engine_bg";

const LOG_FILE = path.join(os.tmpdir(), "prisma-schema-engine-standin.log");
const PG_CHAR_OID = 18; // PostgreSQL's internal one-byte `"char"` type
const PG_TEXT_OID = 25;
const NO_URL = "No database URL: set DATABASE_URL (prisma.config.ts reads it).";

function log(...parts) {
  const line = parts
    .map((p) => (typeof p === "string" ? p : JSON.stringify(p)))
    .join(" ")
    .replace(/(postgres(?:ql)?:\/\/[^:@/]*:)[^@]*@/g, "$1***@"); // hide passwords
  try {
    appendFileSync(LOG_FILE, `${new Date().toISOString()} [${process.pid}] ${line}\n`);
  } catch {
    // Logging must never break a migration.
  }
}

// ---------------------------------------------------------------- arguments

const { values: args, positionals } = parseArgs({
  options: {
    datamodels: { type: "string", multiple: true },
    datasource: { type: "string" },
    "enabled-preview-features": { type: "string" },
    "extension-types": { type: "string" },
    version: { type: "boolean", short: "v" },
  },
  allowPositionals: true,
});

/** The URL from `--datasource '{"url": ...}'` as a pg config object.
 * A parsed object, never a connectionString: pg lets a connectionString
 * override `database`, so a shadow connection made from `{...config,
 * database: shadow}` would silently reuse the main database. */
function pgConfigFrom(url) {
  if (!url) return null;
  const { parse } = createRequire(createRequire(import.meta.url).resolve("pg"))("pg-connection-string");
  const { schema, ...config } = parse(url); // `?schema=` is Prisma's, not pg's
  return { config, schema: schema || undefined };
}

const datasource = args.datasource ? JSON.parse(args.datasource) : {};
const target = pgConfigFrom(datasource.url);

// ------------------------------------------------- connection-level errors

/** Turn a pg/socket error into Prisma's user-facing P1xxx code and text,
 * worded as the native engine words them. */
function describeConnectionError(error, config) {
  const where = `${config.host ?? "localhost"}:${config.port ?? 5432}`;
  switch (error?.code) {
    case "3D000":
      return {
        code: "P1003",
        message: `Database \`${config.database}\` does not exist on the database server at \`${where}\`.`,
      };
    case "28P01":
    case "28000":
      return {
        code: "P1000",
        message: `Authentication failed against database server at \`${config.host}\`, the provided database credentials for \`${config.user}\` are not valid.\n\nPlease make sure to provide valid database credentials for the database server at \`${config.host}\`.`,
      };
    case "42P04":
      return {
        code: "P1009",
        message: `Database \`${config.database}\` already exists on the database server at \`${where}\``,
      };
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "EHOSTUNREACH":
    case "ETIMEDOUT":
    case "EAI_AGAIN":
      return {
        code: "P1001",
        message: `Can't reach database server at \`${where}\`\n\nPlease make sure your database server is running at \`${where}\`.`,
      };
    default:
      return { code: undefined, message: String(error?.message ?? error) };
  }
}

/** Run one statement on the `postgres` maintenance database, as the native
 * engine does for CREATE/DROP DATABASE (the target may not exist yet). */
async function onMaintenanceDb(config, sql) {
  const client = new pg.Client({ ...config, database: "postgres" });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name) => `"${String(name).replaceAll('"', '""')}"`;

// ------------------------------------------ one-shot `cli <command>` mode

async function runCliCommand(command) {
  if (!target) throw new Error(NO_URL);
  const { config } = target;
  switch (command) {
    case "can-connect-to-database": {
      const client = new pg.Client(config);
      await client.connect();
      await client.end();
      return;
    }
    case "create-database":
      return onMaintenanceDb(config, `CREATE DATABASE ${quoteIdent(config.database)}`);
    case "drop-database":
      return onMaintenanceDb(config, `DROP DATABASE IF EXISTS ${quoteIdent(config.database)}`);
    default:
      throw new Error(`Unknown cli command: ${command}`);
  }
}

// The CLI reads a failed one-shot command from stderr: it skips the first
// line and JSON-parses every other line, looking for an ERROR record from
// target `schema_engine::logger` with `error_code` and `message`.
function reportCliFailure(error) {
  const { code, message } = describeConnectionError(error, target?.config ?? {});
  const record = {
    timestamp: new Date().toISOString(),
    level: "ERROR",
    target: "schema_engine::logger",
    fields: { message, ...(code ? { error_code: code } : {}) },
  };
  process.stderr.write(`schema-engine stand-in failed\n${JSON.stringify(record)}`);
}

// ---------------------------------------------------------- the wasm engine

/** Load the wasm engine without Node's flagged ESM-wasm support: the package's
 * own entry does `import * as wasm from "./schema_engine_bg.wasm"`. */
async function loadWasm() {
  const jsPath = fileURLToPath(import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  const bytes = readFileSync(jsPath.replace(/\.js$/, ".wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, {
    "./schema_engine_bg.js": wasmBindings,
  });
  wasmBindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return wasmBindings;
}

/** Two fixes to adapter-pg's connections, for this process only (patched on
 * the classes' shared prototypes, so pooled and transaction connections both
 * get them):
 * - It rejects result columns of PostgreSQL's internal type `"char"` (OID 18)
 *   ("Column type 'char' could not be deserialized"), and the engine reads
 *   such catalog columns (pg_class.relkind and friends): report them as text.
 * - Its executeScript() splits a migration on every ";" (breaking on
 *   'a; b' literals and $$ function bodies) and runs the pieces one by one, so
 *   a failing migration stays half applied. The native engine sends the whole
 *   script as one simple query, which PostgreSQL runs as one implicit
 *   transaction: do the same. */
function patchAdapterPg(adapter) {
  const connection = Object.getPrototypeOf(adapter); // PrismaPgAdapter
  const queryable = Object.getPrototypeOf(connection); // PgQueryable
  if (typeof queryable.performIO !== "function" || typeof connection.executeScript !== "function") {
    throw new Error("@prisma/adapter-pg changed (performIO/executeScript): re-check scripts/prisma-engine");
  }
  if (connection.patchedByStandIn) return;
  connection.patchedByStandIn = true;

  const performIO = queryable.performIO;
  queryable.performIO = async function (query) {
    const result = await performIO.call(this, query);
    for (const field of result?.fields ?? []) {
      if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
    return result;
  };

  connection.executeScript = async function (script) {
    try {
      await this.client.query(script); // no parameters: simple query protocol
    } catch (error) {
      lastScriptError = error; // for the P3018 report, see explain()
      this.onError(error);
    }
  };
}

let lastScriptError;

/** Stands in for a pool when no URL was given. The engine connects as soon as
 * it starts, even for commands that never query (diff --from-empty), so fail
 * at the first query instead; never fall back to pg's defaults (PGHOST,
 * $USER), which could silently hit some other database. */
class MissingUrlPool extends pg.Pool {
  query() {
    return Promise.reject(new Error(NO_URL));
  }
  connect() {
    return Promise.reject(new Error(NO_URL));
  }
}

/** adapter-pg's driver-adapter factory, plus a shadow database we create and
 * drop ourselves (adapter-pg's own connectToShadowDb copies a config that may
 * hold a connectionString, which wins over the shadow database name). */
function adapterFactory() {
  const options = target?.schema ? { schema: target.schema } : undefined;
  const main = new PrismaPg(target?.config ?? new MissingUrlPool(), options);
  const shadowDatabases = new Set();
  const factory = {
    provider: main.provider,
    adapterName: main.adapterName,
    async connect() {
      const adapter = await main.connect();
      patchAdapterPg(adapter);
      return adapter;
    },
    async connectToShadowDb() {
      if (!target) throw new Error(`A shadow database needs a server. ${NO_URL}`);
      const name = `prisma_shadow_${randomUUID().replaceAll("-", "")}`;
      log("creating shadow database", name);
      await onMaintenanceDb(target.config, `CREATE DATABASE ${quoteIdent(name)}`);
      shadowDatabases.add(name);
      const adapter = await new PrismaPg({ ...target.config, database: name }, options).connect();
      patchAdapterPg(adapter);
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await dropShadow(name);
      };
      return adapter;
    },
  };
  async function dropShadow(name) {
    if (!shadowDatabases.delete(name)) return;
    log("dropping shadow database", name);
    await onMaintenanceDb(target.config, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  }
  // The CLI kills us right after closing stdin; drop any shadow left over.
  const dropAll = () => Promise.allSettled([...shadowDatabases].map(dropShadow));
  return { factory: bindMigrationAwareSqlAdapterFactory(factory), dropAll };
}

// The CLI's JSON-RPC method names where they differ from the wasm engine's.
const WASM_METHOD = { getDatabaseVersion: "version" };

/** The error to report: errors thrown by JS code under the engine (ours or
 * pg's, other than adapter-pg's own) reach us as "External error id#N" and
 * are looked up in the factory's registry; connection failures get their
 * P1xxx code. */
function explain(error, registry) {
  const external = /External error id#(\d+)/.exec(error?.message ?? "");
  if (external) error = registry.consumeError(Number(external[1]))?.error ?? error;
  if (/^P\d{4}$/.test(error?.code ?? "") || error?.name === "RuntimeError") return error;
  // The wasm engine reports a failed migration script as a bare connector
  // error; the native engine reports P3018 with the migration's name and the
  // database's error, which is what people (and scripts/migrate.ts) look for.
  const failedMigration = /apply_script\s+with migration_name="([^"]+)"/.exec(error?.message ?? "");
  if (failedMigration && lastScriptError) {
    const meta = {
      migration_name: failedMigration[1],
      database_error_code: lastScriptError.code ?? "N/A",
      database_error: `ERROR: ${lastScriptError.message}`,
    };
    const message = `A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\nMigration name: ${meta.migration_name}\n\nDatabase error code: ${meta.database_error_code}\n\nDatabase error:\n${meta.database_error}\n`;
    return Object.assign(new Error(message), { code: "P3018", meta });
  }
  const { code, message } = describeConnectionError(error, target?.config ?? {});
  return Object.assign(new Error(message), { code });
}

/** Errors in the shape the native engine sends and the CLI unpacks
 * (`error.data.is_panic`, `error.data.message`, `error.data.error_code`). */
function toRpcError(error) {
  const message = String(error?.message ?? error);
  if (error?.name === "RuntimeError") {
    // A Rust panic inside the wasm engine.
    return {
      code: 4466,
      message,
      data: { is_panic: true, message, backtrace: error.stack },
    };
  }
  return {
    code: 4466,
    message: "An error happened. Check the data field for details.",
    data: {
      is_panic: false,
      message,
      error_code: error?.code,
      meta: error?.meta,
    },
  };
}

async function runJsonRpc() {
  const { factory, dropAll } = adapterFactory();
  // One engine per process: the wasm engine keeps state between requests.
  // A failure to start is reported on each request rather than by exiting:
  // if we exit before the CLI has sent its request, the CLI waits forever and
  // then exits 0 having done nothing.
  const engineReady = loadWasm().then((wasm) =>
    wasm.SchemaEngine.new(
      {
        datamodels: args.datamodels?.map((file) => [file, readFileSync(file, "utf8")]),
      },
      (line) => log("engine:", line),
      factory,
    ),
  );
  engineReady.catch(() => {}); // reported per request

  const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
  let nextPrintId = 1;
  const pendingPrints = new Map();

  // The native engine prints `migrate diff` output by sending the CLI a
  // `print` request; the CLI writes it to stdout (or the --output file).
  const print = (content) =>
    new Promise((resolve) => {
      const id = `print-${nextPrintId++}`;
      pendingPrints.set(id, resolve);
      send({ jsonrpc: "2.0", id, method: "print", params: { content } });
    });

  async function handle({ id, method, params }) {
    const started = Date.now();
    try {
      let result;
      if (method === "createDatabase") {
        const { config } = pgConfigFrom(params?.datasource?.url) ?? target ?? {};
        if (!config) throw new Error(NO_URL);
        await onMaintenanceDb(config, `CREATE DATABASE ${quoteIdent(config.database)}`);
        result = { databaseName: config.database };
      } else {
        const engine = await engineReady;
        const name = WASM_METHOD[method] ?? method;
        if (typeof engine[name] !== "function" || name === "free") {
          send({
            jsonrpc: "2.0",
            id,
            error: { code: -32601, message: `Method not found: ${method}` },
          });
          return;
        }
        result = await engine[name](params).catch(async (error) => {
          // After applyMigrations, the wasm engine forgets the shadow-database
          // factory for the rest of `migrate dev` (evaluateDataLoss,
          // createMigration fail with this message at once, before doing
          // anything). A read-only devDiagnostic restores it; then retry once.
          if (!/shadow DB must be provided through an external factory/.test(error?.message) || !params?.migrationsList)
            throw error;
          log(method, "lost its shadow database factory; devDiagnostic, then retry");
          await engine.devDiagnostic({
            migrationsList: params.migrationsList,
            filters: params.filters,
          });
          return engine[name](params);
        });
        if (method === "diff" && typeof result?.stdout === "string") {
          await print(result.stdout.replace(/\n$/, "")); // the CLI adds a newline
          result = { exitCode: result.exitCode };
        }
      }
      log(method, "ok in", `${Date.now() - started}ms`);
      send({ jsonrpc: "2.0", id, result: result ?? {} });
    } catch (error) {
      const rpcError = toRpcError(explain(error, factory.errorRegistry));
      log(method, "failed in", `${Date.now() - started}ms:`, rpcError.data, error?.stack ?? "");
      send({ jsonrpc: "2.0", id, error: rpcError });
    }
  }

  // Requests run one at a time, in order, like the native engine.
  let queue = Promise.resolve();
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on("line", (line) => {
    if (!line.trim()) return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      log("ignoring a line that is not JSON:", line.slice(0, 200));
      return;
    }
    if (message.method === undefined && pendingPrints.has(message.id)) {
      pendingPrints.get(message.id)();
      pendingPrints.delete(message.id);
      return;
    }
    log("request", message.method);
    queue = queue.then(() => handle(message));
  });

  const shutDown = async (why) => {
    log("shutting down:", why);
    await queue;
    await dropAll();
    process.exit(0);
  };
  lines.on("close", () => shutDown("stdin closed"));
  process.on("SIGTERM", () => shutDown("SIGTERM"));
}

// ------------------------------------------------------------------- main

try {
  if (statSync(LOG_FILE, { throwIfNoEntry: false })?.size > 5_000_000) truncateSync(LOG_FILE);
} catch {
  // ignore
}
log(
  "start",
  process.argv
    .slice(2)
    .filter((a) => !a.startsWith("{"))
    .join(" "),
);

if (args.version) {
  const wasm = await loadWasm();
  process.stdout.write(`schema-engine-cli ${wasm.version()} (wasm stand-in)\n`);
} else if (positionals[0] === "cli") {
  try {
    await runCliCommand(positionals[1]);
    log("cli", positionals[1], "ok");
  } catch (error) {
    log("cli", positionals[1], "failed:", error?.code, error?.message);
    reportCliFailure(error);
    process.exitCode = 1;
  }
} else {
  await runJsonRpc();
}
