import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { pemText } from "../config.ts";

// The key that signs security event tokens (set.ts): ES256 (RFC 7518 §3.4), so that receivers
// verify with a public key the server publishes (GET /events/jwks.json) and hold no secret. The
// operator's EVENTS_SIGNING_KEY when set; otherwise a key generated once and kept with the data,
// so that every process sharing the database signs with the same key.

// RFC 7517 §4: the public half as a JWK, with what it is for.
export interface PublicJwk {
  readonly kty: "EC";
  readonly crv: "P-256";
  readonly x: string;
  readonly y: string;
  readonly use: "sig";
  readonly alg: "ES256";
  readonly kid: string;
}

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: PublicJwk;
}

// A server-wide value kept in the Setting table, created by whichever process asks first
// (CredentialStore.setting): a second process starting at the same time reads the first one's.
export type KeptSetting = (key: string, create: () => string) => Promise<string>;

const generatedKeySetting = "events.es256.private-key";

export async function eventSigningKey(configured: string | undefined, kept: KeptSetting): Promise<SigningKey> {
  const pem = configured === undefined ? await kept(generatedKeySetting, generatePem) : pemText(configured);
  return signingKeyOf(createPrivateKey(pem));
}

function generatePem(): string {
  return generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }) as string;
}

export function signingKeyOf(privateKey: KeyObject): SigningKey {
  const { x, y } = createPublicKey(privateKey).export({ format: "jwk" });
  if (typeof x !== "string" || typeof y !== "string" || privateKey.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    throw new Error("the event signing key must be an EC key on the P-256 curve");
  }
  const kid = jwkThumbprint(x, y);
  return { kid, privateKey, publicJwk: { kty: "EC", crv: "P-256", x, y, use: "sig", alg: "ES256", kid } };
}

// RFC 7638 §3.2: the SHA-256 of the key's required members, in lexicographic order and without
// whitespace, base64url-encoded.
function jwkThumbprint(x: string, y: string): string {
  return createHash("sha256").update(`{"crv":"P-256","kty":"EC","x":"${x}","y":"${y}"}`).digest("base64url");
}

// RFC 7517 §5: the JWK Set served at /events/jwks.json.
export function jwkSet(keys: readonly SigningKey[]): { readonly keys: readonly PublicJwk[] } {
  return { keys: keys.map((key) => key.publicJwk) };
}
