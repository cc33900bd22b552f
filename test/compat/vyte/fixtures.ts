import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { TestApp } from "../../support/app.ts";

// Shared by the Vyte tests: Vyte's documented user object (docs/compat/vyte.md §10.3), copied
// verbatim, and a client for /compat/vyte that sends the raw API key.

export const documentedUserObject = {
  "organization": "yourVyteOrganizationId",
  "finish_signup_with": "email",
  "user": {
    "email": "jean.dupont@acme.fr",
    "first_name": "Jean",
    "last_name": "Dupont",
    "language": "fr",
    "timezone": "Europe/Paris",
    "picture_url": "https://www.example.com/picture/jean",
    "account": {
      "organization": {
        "extid": "userIdInThirdPartyAppDatabase"
      }
    }
  },
  "teams": [
    {
      "admin": false,
      "name": "Management team",
      "extid": "teamIdInThirdPartyAppDatabase"
    }
  ],
  "availability": {
    "timezone": "Europe/Paris",
    "today_as_busy": false,
    "past_as_busy": true,
    "days_after_as_busy": 60,
    "buffer_before": 0,
    "buffer_after": 0,
    "all_day_busy": true,
    "days": {
      "monday": {
        "enabled": true,
        "slots": [
          {
            "start_time": "2018-01-01T10:00",
            "end_time": "2018-01-01T12:30"
          },
          {
            "start_time": "2018-01-01T14:00",
            "end_time": "2018-01-01T18:30"
          }
        ]
      },
      "tuesday": {
        "enabled": true,
        "slots": [
          {
            "start_time": "2018-01-01T10:00",
            "end_time": "2018-01-01T12:30"
          },
          {
            "start_time": "2018-01-01T14:00",
            "end_time": "2018-01-01T18:30"
          }
        ]
      },
      "wednesday": {
        "enabled": true,
        "slots": [
          {
            "start_time": "2018-01-01T10:00",
            "end_time": "2018-01-01T17:30"
          }
        ]
      },
      "thursday": {
        "enabled": false
      },
      "friday": {
        "enabled": true,
        "slots": [
          {
            "start_time": "2018-01-01T10:00",
            "end_time": "2018-01-01T17:30"
          }
        ]
      },
      "saturday": {
        "enabled": true,
        "slots": [
          {
            "start_time": "2018-01-01T10:00",
            "end_time": "2018-01-01T17:30"
          }
        ]
      },
      "sunday": {
        "enabled": false
      }
    }
  },
  "vyteme": {
    "nickname": "appName-userIdInThidPartyAppDatabase",
    "message": "Bienvenue sur ma page de RDV",
    "custom": {
      "auto_message": "Merci d'avoir pris RDV avec moi, j'ai hate de vous rencontrer.",
      "auto_title": "RDV invitee / me",
      "ask_phone": true,
      "ask_company": false,
      "block_new_invitee": false,
      "duration": 30,
      "set_lang": true,
      "enable_api": true,
      "fixed_lang": "fr",
      "set_timezone": true,
      "fixed_timezone": "Europe/Paris",
      "event_hide_decline": false,
      "hide_places": false,
      "hide_support": true,
      "hide_title": true,
      "forbid_add_places": true,
      "min_dates": 1,
      "one_slot": true,
      "auto_confirm": true,
      "invite_title": "Book a short appointment with",
      "redirect_url": "https://www.example.com/thanks-for-booking",
      "fixed_places": [
        {
          "name": "Office",
          "address": "Office address",
          "source": "appName",
          "source_id": "placeIdInThirdPartyAppDatabase"
        },
        {
          "name": "Phone",
          "address": "0102030405"
        }
      ]
    }
  },
  "calendars": [
    {
      "source": "exchange",
      "credentials": {
        "server": "mail.exchangeserverdomain.com",
        "username": "calendarUserName",
        "password": "calendarPassword"
      }
    }
  ],
  "login": {
    "credentials": {
      "username": "jean.dupont@example.com",
      "password": "youllneverguessit"
    }
  }
} as const;

// The documented user object for one organisation, with changes to its `user` part and without
// the top-level keys named.
export function documentedBody(
  organization: string,
  options: { readonly user?: Record<string, unknown>; readonly without?: readonly string[] } = {},
): Record<string, any> {
  const body = structuredClone(documentedUserObject) as unknown as Record<string, any>;
  for (const key of options.without ?? []) delete body[key];
  return { ...body, organization, user: { ...body.user, ...options.user } };
}

export interface VyteClient {
  readonly key: string;
  readonly organization: string;
  get(path: string): ReturnType<ReturnType<TestApp["http"]>["get"]>;
  post(path: string, body?: unknown): ReturnType<ReturnType<TestApp["http"]>["post"]>;
  put(path: string, body?: unknown): ReturnType<ReturnType<TestApp["http"]>["put"]>;
  delete(path: string): ReturnType<ReturnType<TestApp["http"]>["delete"]>;
}

// Paths are relative to /compat/vyte; the key goes in `Authorization` with no scheme
// (docs/compat/vyte.md §2.1).
export async function vyteClient(app: TestApp, tenant = "acme"): Promise<VyteClient> {
  const key = await app.credential("vyte", tenant);
  const { id: organization } = await app.server.tenants.ensure(tenant);
  const base = "/compat/vyte";
  return {
    key,
    organization,
    get: (path) => app.http().get(`${base}${path}`).set("Authorization", key),
    post: (path, body) => app.http().post(`${base}${path}`).set("Authorization", key).send(body as object),
    put: (path, body) => app.http().put(`${base}${path}`).set("Authorization", key).send(body as object),
    delete: (path) => app.http().delete(`${base}${path}`).set("Authorization", key),
  };
}

// A name no other test uses.
export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

// A minimal CreateUser body.
export function userBody(organization: string, user: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { organization, user, ...extra };
}

export const objectIdPattern = /^[0-9a-f]{24}$/;
export const isoMillis = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const noCalendars = { google: false, office365: false, exchange: false, icloud: false, caldav: false };
export const defaultModules = {
  brand: false, assistant: false, vyteme: false, vyteme_pro: false, availabilities: false, billing: false, group_pro: false, team: false,
};

// docs/compat/vyte.md §3.1: every error is exactly {status, message}, without a stack trace.
export function expectVyteError(response: { status: number; body: unknown; text: string }, status: number): void {
  expect({ status: response.status, body: response.body }).toStrictEqual({ status, body: { status, message: expect.any(String) } });
  expect(response.text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules|prisma/i);
}

// The SCIM URNs of the Vyte extensions (src/compat/vyte/extension.ts).
export const vyteUserUrn = "urn:scim-server:params:scim:schemas:extension:vyte:2.0:User";
export const vyteTeamUrn = "urn:scim-server:params:scim:schemas:extension:vyte:2.0:Group";
