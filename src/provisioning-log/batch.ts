import type { LoggedRequest } from "./entry.ts";
import { loggedRequestOf, type AnsweredRequest } from "./request.ts";

// The entries gathered between two writes of the log, encoded into one buffer as they are
// recorded: one buffer outside the JavaScript heap, which the garbage collector does not walk and
// which moves to the delivery thread without being copied (docs/benchmarks.md, "The provisioning
// log").
export interface EncodedEntries {
  readonly bytes: ArrayBuffer;
  // The bytes of `bytes` in use, from the start.
  readonly length: number;
  readonly count: number;
}

const stringFields = [
  "tenantId", "method", "path", "userAgent", "location", "requestBody", "failureBody",
] as const satisfies readonly (keyof AnsweredRequest)[];

const numberBytes = 8;
const lengthBytes = 4;
const noString = 0xffff_ffff;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class EntryBuffer {
  #bytes: Uint8Array;
  #view: DataView;
  #length = 0;
  #count = 0;

  constructor(private readonly initialBytes = 64 * 1024) {
    this.#bytes = new Uint8Array(initialBytes);
    this.#view = new DataView(this.#bytes.buffer);
  }

  get count(): number {
    return this.#count;
  }

  get byteLength(): number {
    return this.#length;
  }

  add(entry: AnsweredRequest): void {
    this.#number(entry.at);
    this.#number(entry.durationMs);
    this.#number(entry.status);
    for (const field of stringFields) this.#string(entry[field]);
    this.#count += 1;
  }

  // The entries added so far; the buffer starts over, as large as this batch needed.
  take(): EncodedEntries {
    const taken = { bytes: this.#bytes.buffer as ArrayBuffer, length: this.#length, count: this.#count };
    this.#bytes = new Uint8Array(Math.max(this.initialBytes, this.#bytes.length));
    this.#view = new DataView(this.#bytes.buffer);
    this.#length = 0;
    this.#count = 0;
    return taken;
  }

  #number(value: number): void {
    this.#reserve(numberBytes);
    this.#view.setFloat64(this.#length, value);
    this.#length += numberBytes;
  }

  #string(value: string | null): void {
    if (value === null) {
      this.#reserve(lengthBytes);
      this.#view.setUint32(this.#length, noString);
      this.#length += lengthBytes;
      return;
    }
    // UTF-8 takes at most three bytes for each UTF-16 unit.
    this.#reserve(lengthBytes + value.length * 3);
    const { written } = encoder.encodeInto(value, this.#bytes.subarray(this.#length + lengthBytes));
    this.#view.setUint32(this.#length, written);
    this.#length += lengthBytes + written;
  }

  #reserve(bytes: number): void {
    if (this.#length + bytes <= this.#bytes.length) return;
    const grown = new Uint8Array(Math.max(this.#bytes.length * 2, this.#length + bytes));
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
    this.#view = new DataView(grown.buffer);
  }
}

export function decodedEntries(encoded: EncodedEntries): AnsweredRequest[] {
  const bytes = new Uint8Array(encoded.bytes, 0, encoded.length);
  const view = new DataView(encoded.bytes, 0, encoded.length);
  let offset = 0;
  const number = () => {
    const value = view.getFloat64(offset);
    offset += numberBytes;
    return value;
  };
  const string = () => {
    const length = view.getUint32(offset);
    offset += lengthBytes;
    if (length === noString) return null;
    const value = decoder.decode(bytes.subarray(offset, offset + length));
    offset += length;
    return value;
  };
  const text = () => string() ?? "";
  const entries: AnsweredRequest[] = [];
  for (let index = 0; index < encoded.count; index += 1) {
    const at = number();
    const durationMs = number();
    const status = number();
    // In the order of stringFields.
    entries.push({
      at, durationMs, status,
      tenantId: text(), method: text(), path: text(), userAgent: string(), location: string(), requestBody: string(), failureBody: string(),
    });
  }
  return entries;
}

// The entries of a batch as they are stored.
export function loggedRequestsOf(batch: EncodedEntries): LoggedRequest[] {
  return decodedEntries(batch).map(loggedRequestOf);
}
