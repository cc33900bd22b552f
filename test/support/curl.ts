import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createHttpServer } from "../../src/http/listener.ts";
import type { TestApp } from "./app.ts";

// The test app listening on 127.0.0.1 at an ephemeral port, and a temporary working directory in
// which shell commands run with the real curl, as a vendor's documentation prints them.
//
// The directory holds the files the commands read (--data @file) and curl's own config file,
// found through CURL_HOME: no progress meter, errors shown, and the status and headers of the
// last response written to stderr. A command's output is thus exactly what it prints, and the
// commands need no flag added to be read.

const run = promisify(execFile);

const curlrc = 'silent\nshow-error\nwrite-out = "%{stderr}\\n%{http_code} %{header_json}\\n"\n';

export interface CurlResponse {
  readonly status: number;
  // Header names in lower case; repeated headers joined with ", ".
  readonly headers: Record<string, string>;
  // What the command printed to stdout, less the response head that `-i` prints.
  readonly text: string;
  // The text as JSON; undefined when it is empty.
  readonly body: any;
}

export interface CurlTarget {
  // http://127.0.0.1:<port> followed by the path the target was made with.
  readonly baseUrl: string;
  readonly cwd: string;
  // Runs `bash -c command` in the working directory, with only PATH, HOME, CURL_HOME and `env` set.
  curl(command: string, env?: Record<string, string>): Promise<CurlResponse>;
  // Stops listening and removes the working directory (the app itself stays open).
  close(): Promise<void>;
}

export async function listenForCurl(app: TestApp, options: { path?: string; files?: Record<string, string> } = {}): Promise<CurlTarget> {
  const listener = createHttpServer(app.server.app).listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => listener.once("listening", () => resolve()));
  const baseUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}${options.path ?? ""}`;
  const cwd = mkdtempSync(join(tmpdir(), "curl-examples-"));
  for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(join(cwd, name), content);
  writeFileSync(join(cwd, ".curlrc"), curlrc);
  return {
    baseUrl,
    cwd,
    async curl(command, env = {}) {
      const { stdout, stderr } = await run("bash", ["-c", command], {
        cwd,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: cwd, CURL_HOME: cwd, ...env },
      });
      return response(stdout, stderr);
    },
    async close() {
      await new Promise((resolve) => listener.close(resolve));
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

function response(stdout: string, stderr: string): CurlResponse {
  const written = /\n(\d{3}) (\{[\s\S]*\})\n$/.exec(stderr);
  if (!written) throw new Error(`curl wrote no status: ${stderr}`);
  const headers = Object.fromEntries(
    Object.entries(JSON.parse(written[2] as string) as Record<string, string[]>).map(([name, values]) => [name.toLowerCase(), values.join(", ")]),
  );
  let text = stdout;
  while (text.startsWith("HTTP/") && text.includes("\r\n\r\n")) text = text.slice(text.indexOf("\r\n\r\n") + 4);
  return {
    status: Number(written[1]),
    headers,
    text,
    get body() {
      return text === "" ? undefined : JSON.parse(text);
    },
  };
}
