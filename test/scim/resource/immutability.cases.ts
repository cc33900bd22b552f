import { badgeUrn } from "./test-schemas.js";

// assertImmutableUnchanged: a stored resource (`previous`) against a replacement (`next`).

export interface ImmutabilityCase {
  readonly name: string;
  readonly previous: Record<string, unknown>;
  readonly next: Record<string, unknown>;
  /** The attribute path the 400 mutability detail names; absent when the replacement is allowed. */
  readonly rejects?: string;
}

export const immutabilityCases: readonly ImmutabilityCase[] = [
  { name: "unchanged", previous: { badge: "B-1" }, next: { badge: "B-1" } },
  { name: "changed", previous: { badge: "B-1" }, next: { badge: "B-2" }, rejects: "badge" },
  { name: "case differs on a case-insensitive attribute", previous: { badge: "B-1" }, next: { badge: "b-1" } },
  { name: "case differs on a caseExact attribute", previous: { serial: "Ab" }, next: { serial: "ab" }, rejects: "serial" },
  { name: "first assignment", previous: {}, next: { badge: "B-1" } },
  { name: "previously null", previous: { badge: null }, next: { badge: "B-1" } },
  { name: "omitted from the replacement (the caller keeps it)", previous: { badge: "B-1" }, next: {} },
  { name: "a readWrite attribute changes freely", previous: { displayName: "a" }, next: { displayName: "b" } },
  { name: "multi-valued, same set in another order and case", previous: { aliases: ["a", "b"] }, next: { aliases: ["B", "a"] } },
  { name: "multi-valued, one element changed", previous: { aliases: ["a", "b"] }, next: { aliases: ["a", "c"] }, rejects: "aliases" },
  { name: "multi-valued, a duplicate is not the same set", previous: { aliases: ["a", "a"] }, next: { aliases: ["a", "b"] }, rejects: "aliases" },
  { name: "multi-valued, one element added", previous: { aliases: ["a"] }, next: { aliases: ["a", "a"] }, rejects: "aliases" },
  { name: "dateTime, same instant spelled differently", previous: { hiredAt: "2024-01-01T00:00:00Z" }, next: { hiredAt: "2024-01-01T01:00:00.000+01:00" } },
  { name: "dateTime, another instant", previous: { hiredAt: "2024-01-01T00:00:00Z" }, next: { hiredAt: "2024-01-02T00:00:00Z" }, rejects: "hiredAt" },
  {
    name: "an immutable sub-attribute of a single-valued complex changed",
    previous: { device: { serialNumber: "S-1", model: "X" } },
    next: { device: { serialNumber: "S-2", model: "X" } },
    rejects: "device.serialNumber",
  },
  {
    name: "a readWrite sibling of an immutable sub-attribute changed",
    previous: { device: { serialNumber: "S-1", model: "X" } },
    next: { device: { serialNumber: "S-1", model: "Y" } },
  },
  {
    name: "members are replaced as a whole; their immutable value is not compared",
    previous: { members: [{ value: "u-1" }] },
    next: { members: [{ value: "u-2" }] },
  },
  {
    name: "an immutable extension attribute changed",
    previous: { [badgeUrn]: { level: 1, issuer: "hr" } },
    next: { [badgeUrn]: { level: 2, issuer: "it" } },
    rejects: `${badgeUrn}:issuer`,
  },
  {
    name: "an immutable extension attribute unchanged while a sibling changes",
    previous: { [badgeUrn]: { level: 1, issuer: "hr" } },
    next: { [badgeUrn]: { level: 2, issuer: "HR" } },
  },
  {
    name: "an immutable core attribute name is not looked up inside an extension",
    previous: { badge: "B-1" },
    next: { badge: "B-1", [badgeUrn]: { badge: "other" } },
  },
];
