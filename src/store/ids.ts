import { randomFillSync } from "node:crypto";

// Ids of new users and groups: UUIDv7 (RFC 9562 §5.7), whose first 48 bits are the Unix time in
// milliseconds. Rows created one after another get ids in the same order, so every index keyed
// by (tenantId, id) grows at its right edge instead of splitting pages anywhere in it, which is
// what random (version 4) ids did to a large tenant's inserts. Clients get them as opaque strings
// as before; ids created before stay as they are.
//
// Within one millisecond the 12 bits of rand_a count up from a random start (RFC 9562 §6.2,
// method 1), so that the ids one process creates stay in order; the other 62 bits are random.

const pool = Buffer.alloc(16 * 256);
let poolOffset = pool.length;
let lastMs = -1;
let sequence = 0;

function randomBytes16(): Buffer {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  return bytes;
}

const hex = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

export function newId(now = Date.now()): string {
  const random = randomBytes16();
  let ms = Math.max(now, lastMs);
  if (ms === lastMs) {
    sequence += 1;
    // The counter ran out within this millisecond: borrow the next one, keeping the order.
    if (sequence > 0xfff) {
      ms += 1;
      sequence = random.readUInt16BE(6) & 0x7ff;
    }
  } else {
    // A random start below half the range leaves room to count up.
    sequence = random.readUInt16BE(6) & 0x7ff;
  }
  lastMs = ms;
  const high = Math.floor(ms / 0x1_0000_0000);
  const low = ms >>> 0;
  return (
    hex[(high >>> 8) & 0xff]! + hex[high & 0xff]! + hex[low >>> 24]! + hex[(low >>> 16) & 0xff]! + "-" +
    hex[(low >>> 8) & 0xff]! + hex[low & 0xff]! + "-" +
    hex[0x70 | (sequence >>> 8)]! + hex[sequence & 0xff]! + "-" +
    hex[((random[8] as number) & 0x3f) | 0x80]! + hex[random[9] as number]! + "-" +
    hex[random[10] as number]! + hex[random[11] as number]! + hex[random[12] as number]! + hex[random[13] as number]! +
    hex[random[14] as number]! + hex[random[15] as number]!
  );
}
