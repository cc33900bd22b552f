import { eventTypes, isEventType, type EventType } from "../events/catalogue.ts";
import { subscriptionFormats, type DeliveryAttempt, type Subscription, type SubscriptionFormat } from "../events/ports.ts";
import { readConfig } from "../config.ts";
import { durationSeconds, openServer, parseCommandLine, runCommand, UsageError } from "./command.ts";

// npm run events -- subscribe --tenant <name> [--url <url>] [--types a,b] [--format webhook|set|poll] [--retry-for 3d] [--audience <aud>]
// npm run events -- subscribe --list [--tenant <name>] | --remove <id> | --pause <id> | --resume <id>
// npm run events -- replay --subscription <id> [--from <sequence|ISO time>]
// npm run events -- deliveries --subscription <id> [--failed] [--limit <n>]
// Subscriptions to a tenant's change events and their deliveries (docs/event-delivery.md). A new
// subscription's secret is printed once, by subscribe, and never again.

const usage = `usage:
  npm run events -- subscribe --tenant <name> --url <http(s) url> [--types <type,...>] [--format webhook|set] [--retry-for <duration>]
  npm run events -- subscribe --tenant <name> --format poll [--types <type,...>] [--audience <audience>]
  npm run events -- subscribe --list [--tenant <name>]
  npm run events -- subscribe --remove <id> | --pause <id> | --resume <id>
  npm run events -- replay --subscription <id> [--from <sequence|ISO 8601 time>]
  npm run events -- deliveries --subscription <id> [--failed] [--limit <n>]

  subscribe     creates a subscription to the tenant's events from now on and prints its id and
                secret as JSON (the secret signs webhooks; it is never shown again)
    --format    webhook (the default: signed JSON POSTed to --url), set (RFC 8935 security event
                tokens POSTed to --url) or poll (RFC 8936: the receiver fetches them)
    --types     the event types to deliver (all when not given): ${eventTypes.join(", ")}
    --retry-for how long an event whose delivery fails is retried before it is given up
                (seconds, or a number ending in s, m, h or d; EVENTS_RETRY_FOR_SECONDS by default)
    --audience  the audience of the security event tokens (set and poll)
  --list        the subscriptions (of one tenant with --tenant) as JSON, without their secrets
  --pause       stops delivering to a subscription; its events wait, and --resume sends them
  replay        sends a subscription's events again from a sequence number or a time (the
                events it had given up on from there included); without --from, sends again
                only the events it gave up on
  deliveries    the attempts to deliver a subscription's events, newest first, one JSON object per
                line (at most --limit, 100 by default); --failed keeps the attempts after which an
                event was given up (outcome dead, or failed when the receiver refused it for good)`;

const commands = ["subscribe", "replay", "deliveries"] as const;

function listed(subscription: Subscription) {
  return {
    id: subscription.id,
    tenant: subscription.tenantName,
    format: subscription.format,
    url: subscription.url,
    types: subscription.types,
    audience: subscription.audience,
    paused: subscription.paused,
    cursor: subscription.cursor,
    retryForSeconds: subscription.retryForSeconds,
    createdAt: subscription.createdAt.toISOString(),
    pending: subscription.pending,
  };
}

function shownAttempt(attempt: DeliveryAttempt) {
  return { ...attempt, attemptedAt: attempt.attemptedAt.toISOString() };
}

function formatOf(text: string | undefined): SubscriptionFormat {
  const format = text ?? "webhook";
  if (!(subscriptionFormats as readonly string[]).includes(format)) throw new UsageError(`--format must be ${subscriptionFormats.join(", ")}, not "${format}"`);
  return format as SubscriptionFormat;
}

function urlOf(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url must be an http(s) URL, not "${text}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`--url must be an http(s) URL, not "${text}"`);
  return url.toString();
}

function typesOf(text: string | undefined): EventType[] {
  if (text === undefined) return [];
  const types = text.split(",").map((type) => type.trim()).filter((type) => type !== "");
  const unknown = types.filter((type) => !isEventType(type));
  if (unknown.length > 0) throw new UsageError(`--types: no event type ${unknown.map((type) => `"${type}"`).join(", ")} (the types: ${eventTypes.join(", ")})`);
  if (types.length === 0) throw new UsageError("--types needs at least one event type");
  return [...new Set(types)] as EventType[];
}

function fromOf(text: string | undefined): number | Date | undefined {
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text)) {
    const sequence = Number(text);
    if (sequence < 1 || !Number.isSafeInteger(sequence)) throw new UsageError(`--from must be a sequence number from 1, not ${text}`);
    return sequence;
  }
  const time = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(time.getTime())) throw new UsageError(`--from must be a sequence number or an ISO 8601 time, not "${text}"`);
  return time;
}

function limitOf(text: string | undefined): number {
  if (text === undefined) return 100;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 100_000) throw new UsageError(`--limit must be a whole number from 1 to 100000, not "${text}"`);
  return Number(text);
}

// The options given, other than the ones `allowed`.
function others(values: Record<string, unknown>, allowed: readonly string[]): string[] {
  return Object.keys(values).filter((name) => values[name] !== undefined && !allowed.includes(name));
}

// `what` (a command, or the option that selects what it does) with options other than `allowed`
// is a usage error naming the first of them.
function only(values: Record<string, unknown>, allowed: readonly string[], what: string): void {
  const extra = others(values, allowed);
  const named = allowed.filter((name) => `--${name}` !== what).map((name) => `--${name}`);
  if (extra.length > 0) throw new UsageError(`${what} takes ${named.length === 0 ? "no other option" : `only ${named.join(", ")}`}, not --${extra[0]}`);
}

runCommand("events", "npm run events -- --help", async () => {
  const { values, positionals } = parseCommandLine(
    {
      tenant: { type: "string" },
      url: { type: "string" },
      types: { type: "string" },
      format: { type: "string" },
      "retry-for": { type: "string" },
      audience: { type: "string" },
      list: { type: "boolean" },
      remove: { type: "string" },
      pause: { type: "string" },
      resume: { type: "string" },
      subscription: { type: "string" },
      from: { type: "string" },
      failed: { type: "boolean" },
      limit: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    true,
  );
  if (values.help) {
    console.log(usage);
    return;
  }
  const [command, ...extra] = positionals;
  if (command === undefined) throw new UsageError(`a command is required: ${commands.join(", ")}`);
  if (!(commands as readonly string[]).includes(command)) throw new UsageError(`no command "${command}" (the commands: ${commands.join(", ")})`);
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
  const options = values as Record<string, unknown>;

  if (command === "subscribe") {
    const changes = (["remove", "pause", "resume"] as const).filter((name) => values[name] !== undefined);
    if (changes.length > 1 || (changes.length > 0 && values.list)) throw new UsageError("one of --list, --remove, --pause, --resume at a time");
    if (values.list) only(options, ["list", "tenant"], "--list");
    else if (changes.length > 0) only(options, [changes[0] as string], `--${changes[0]}`);
    else {
      only(options, ["tenant", "url", "types", "format", "retry-for", "audience"], "subscribe");
      if (values.tenant === undefined) throw new UsageError("subscribe needs --tenant (or --list, --remove, --pause, --resume)");
    }
  } else if (command === "replay") {
    only(options, ["subscription", "from"], "replay");
    if (values.subscription === undefined) throw new UsageError("replay needs --subscription");
  } else {
    only(options, ["subscription", "failed", "limit"], "deliveries");
    if (values.subscription === undefined) throw new UsageError("deliveries needs --subscription");
  }

  // Everything given is checked before the database is opened.
  const creating = command === "subscribe" && !values.list && values.remove === undefined && values.pause === undefined && values.resume === undefined;
  const format = formatOf(values.format);
  const pushed = format !== "poll";
  if (creating) {
    if (pushed && values.url === undefined) throw new UsageError(`--format ${format} needs --url`);
    if (!pushed && values.url !== undefined) throw new UsageError("--format poll takes no --url: the receiver fetches its events");
    if (format === "webhook" && values.audience !== undefined) throw new UsageError("--audience goes with --format set or poll");
  }
  const url = creating && pushed ? urlOf(values.url as string) : null;
  const types = typesOf(values.types);
  const retryFor = values["retry-for"] === undefined ? undefined : durationSeconds("--retry-for", values["retry-for"]);
  const from = fromOf(values.from);
  const limit = limitOf(values.limit);
  const retryForDefault = readConfig(process.env).EVENTS_RETRY_FOR_SECONDS;

  const server = await openServer();
  const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
  const existing = async (id: string) => {
    const subscription = await server.subscriptions.get(id);
    if (subscription === undefined) throw new Error(`no subscription ${id}`);
    return subscription;
  };
  const tenantNamed = async (name: string) => {
    const tenant = await server.tenants.find(name);
    if (tenant === undefined) throw new Error(`no tenant named ${name}`);
    return tenant;
  };
  try {
    if (command === "subscribe") {
      if (values.list) {
        const tenant = values.tenant === undefined ? undefined : await tenantNamed(values.tenant);
        print((await server.subscriptions.list(tenant?.id)).map(listed));
      } else if (values.remove !== undefined) {
        if (!(await server.subscriptions.remove(values.remove))) throw new Error(`no subscription ${values.remove}`);
        console.error(`removed subscription ${values.remove}`);
      } else if (values.pause !== undefined || values.resume !== undefined) {
        const id = (values.pause ?? values.resume) as string;
        await existing(id);
        print(listed((await server.subscriptions.setPaused(id, values.pause !== undefined)) as Subscription));
      } else {
        const tenant = await tenantNamed(values.tenant as string);
        const { subscription, secret } = await server.subscriptions.create({
          tenantId: tenant.id,
          format,
          url,
          types,
          audience: values.audience ?? null,
          retryForSeconds: retryFor ?? retryForDefault,
        });
        console.error(
          `subscription ${subscription.id}: ${types.length === 0 ? "every" : types.join(", ")} event of tenant ${tenant.name} from sequence ${subscription.cursor + 1}, ${pushed ? `POSTed as ${format} to ${url}` : "to poll"}`,
        );
        print({ id: subscription.id, secret });
      }
    } else if (command === "replay") {
      const subscription = await existing(values.subscription as string);
      const replay = await server.subscriptions.replay(subscription.id, from);
      if (replay === undefined) throw new Error(`no subscription ${subscription.id}`);
      print({ subscription: subscription.id, ...replay });
    } else {
      const subscription = await existing(values.subscription as string);
      const attempts = await server.subscriptions.attempts(subscription.id, { givenUp: values.failed === true, limit });
      for (const attempt of attempts) print(shownAttempt(attempt));
    }
  } finally {
    await server.close();
  }
});
