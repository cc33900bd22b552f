import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readConfig } from "../../src/config.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../support/databases.ts";
import { listeningPort, repoRoot, serverEnv, startProcess, type ServerProcess } from "../support/process.ts";
import { buildImage, parseDockerfile, type BuiltImage } from "./dockerfile.ts";

// No container engine runs here, so the image is never built; instead the Dockerfile's own build
// commands run in a scratch copy of the build context, and its CMD and HEALTHCHECK run on the
// result, so that a change which breaks the image breaks this test. The build is shared by the
// SQLite and PostgreSQL runs of the suite (it is keyed by its inputs); the start runs on each.

let image: BuiltImage;
let database: TestDatabase;
let server: ServerProcess | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  image = await buildImage(repoRoot);
}, 20 * 60_000);

afterAll(async () => {
  if (server && server.child.exitCode === null) server.child.kill("SIGKILL");
  await database.drop();
});

describe("Dockerfile", { timeout: 120_000 }, () => {
  it("builds in two stages and runs plain node, as an unprivileged user, with a health check", () => {
    const stages = parseDockerfile(readFileSync(join(repoRoot, "Dockerfile"), "utf8"));
    expect(stages.map((stage) => stage.name)).toStrictEqual(["build", "1"]);
    expect(stages[1]!.base).toBe(stages[0]!.base);
    expect(image.cmd[0]).toBe("node");
    expect(image.user).toBe("node");
    expect(image.stopSignal).toBe("SIGTERM");
    expect(image.healthcheck?.[0]).toBe("node");
    // The runtime stage has no dev dependencies and no sources.
    expect(() => readFileSync(join(image.root, image.workdir, "node_modules", "vitest", "package.json"))).toThrow();
    expect(() => readFileSync(join(image.root, image.workdir, "src", "main.ts"))).toThrow();
  });

  it("the OS packages its build installs are the toolchain this machine has", async () => {
    expect(image.systemCommands.join(" ")).toMatch(/python3 make g\+\+/);
    for (const tool of ["python3", "make", "g++"]) await promisify(execFile)(tool, ["--version"]);
  });

  it("its CMD serves, its HEALTHCHECK passes, and SIGTERM stops it with exit 0", async () => {
    const env = serverEnv({
      ...image.env,
      PORT: "0",
      HOST: "127.0.0.1",
      ...(testDatabaseKind === "postgresql" ? { DATABASE_URL: database.url } : {}),
    });
    const [command, ...args] = image.cmd;
    expect(command).toBe("node");
    server = startProcess(process.execPath, args, { cwd: join(image.root, image.workdir), env });
    const port = await listeningPort(server);
    const line = server.lines.find((entry) => entry.port === port)!;
    expect(line.database).toBe(testDatabaseKind);
    if (testDatabaseKind === "sqlite") expect(line.location).toBe("sqlite ./data/scim.db");

    const users = await fetch(`http://127.0.0.1:${port}/scim/v2/Users`);
    expect(users.status).toBe(401);
    const [check, ...checkArgs] = image.healthcheck!;
    expect(check).toBe("node");
    await promisify(execFile)(process.execPath, checkArgs, { env: { ...env, PORT: String(port) }, timeout: 10_000 });

    server.child.kill(image.stopSignal as NodeJS.Signals);
    expect(await server.exited()).toStrictEqual({ code: 0, signal: null });
    expect(server.lines.at(-1)).toMatchObject({ msg: "stopped" });
  });

  it("its HEALTHCHECK fails when nothing answers", async () => {
    const [, ...checkArgs] = image.healthcheck!;
    await expect(promisify(execFile)(process.execPath, checkArgs, { env: { ...process.env, PORT: "1" }, timeout: 10_000 })).rejects.toMatchObject({ code: 1 });
  });
});

describe("compose.yaml", () => {
  const compose = parse(readFileSync(join(repoRoot, "compose.yaml"), "utf8")) as {
    services: Record<string, { build?: string; image?: string; environment?: Record<string, unknown>; depends_on?: Record<string, unknown>; ports?: string[] }>;
  };

  it("builds this Dockerfile and points it at the PostgreSQL service, which it waits for", () => {
    const scim = compose.services.scim!;
    expect(scim.build).toBe(".");
    expect(compose.services.db?.image).toMatch(/^postgres:/);
    expect(String(scim.environment?.DATABASE_URL)).toMatch(/^postgresql:\/\/scim:.*@db:5432\/scim$/);
    expect(scim.depends_on).toStrictEqual({ db: { condition: "service_healthy" } });
    expect(scim.ports).toStrictEqual(["8080:8080"]);
  });

  it("sets only settings the server knows, with values it accepts", () => {
    const environment = compose.services.scim!.environment ?? {};
    const values = Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, String(value).replace(/\$\{\w+:-([^}]*)\}/g, "$1")]));
    const config = readConfig(values) as Record<string, unknown>;
    for (const name of Object.keys(values)) expect(Object.keys(config), name).toContain(name);
  });
});
