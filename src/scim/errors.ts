// RFC 7644 §3.12: the one error type of the core, with the RFC's closed list of scimType codes.

export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive"
  // RFC 9865 §3.2: cursor pagination.
  | "invalidCursor"
  | "expiredCursor";

/** The HTTP statuses a ScimError may carry (RFC 7644 §3.12, Table 8, plus 405 and 415 from HTTP). */
export type ScimErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 412 | 413 | 415 | 500 | 501;

// RFC 7644 §3.12, Table 9: the status each scimType is returned with.
export const scimTypeStatus = {
  invalidFilter: 400,
  tooMany: 400,
  uniqueness: 409,
  mutability: 400,
  invalidSyntax: 400,
  invalidPath: 400,
  noTarget: 400,
  invalidValue: 400,
  invalidVers: 400,
  sensitive: 403,
  invalidCursor: 400,
  expiredCursor: 400,
} as const satisfies Record<ScimType, ScimErrorStatus>;

export const SCIM_ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

export interface ScimErrorBody {
  readonly schemas: readonly [typeof SCIM_ERROR_SCHEMA];
  readonly status: string;
  readonly scimType?: ScimType;
  readonly detail: string;
}

// RFC 7644 §3.12: build one through the named constructors below, never by picking a status by hand.
export class ScimError extends Error {
  readonly status: ScimErrorStatus;
  readonly scimType?: ScimType;
  readonly detail: string;

  private constructor(status: ScimErrorStatus, detail: string, scimType?: ScimType) {
    super(detail);
    this.name = "ScimError";
    this.status = status;
    this.detail = detail;
    if (scimType !== undefined) this.scimType = scimType;
  }

  private static typed(scimType: ScimType, detail: string): ScimError {
    return new ScimError(scimTypeStatus[scimType], detail, scimType);
  }

  static invalidFilter(detail: string): ScimError {
    return ScimError.typed("invalidFilter", detail);
  }
  static tooMany(detail: string): ScimError {
    return ScimError.typed("tooMany", detail);
  }
  static uniqueness(detail: string): ScimError {
    return ScimError.typed("uniqueness", detail);
  }
  static mutability(detail: string): ScimError {
    return ScimError.typed("mutability", detail);
  }
  static invalidSyntax(detail: string): ScimError {
    return ScimError.typed("invalidSyntax", detail);
  }
  static invalidPath(detail: string): ScimError {
    return ScimError.typed("invalidPath", detail);
  }
  static noTarget(detail: string): ScimError {
    return ScimError.typed("noTarget", detail);
  }
  static invalidValue(detail: string): ScimError {
    return ScimError.typed("invalidValue", detail);
  }
  static invalidVers(detail: string): ScimError {
    return ScimError.typed("invalidVers", detail);
  }
  static sensitive(detail: string): ScimError {
    return ScimError.typed("sensitive", detail);
  }
  static invalidCursor(detail: string): ScimError {
    return ScimError.typed("invalidCursor", detail);
  }

  static unauthorized(detail: string): ScimError {
    return new ScimError(401, detail);
  }
  static forbidden(detail: string): ScimError {
    return new ScimError(403, detail);
  }
  static notFound(detail: string): ScimError {
    return new ScimError(404, detail);
  }
  static methodNotAllowed(detail: string): ScimError {
    return new ScimError(405, detail);
  }
  static conflict(detail: string): ScimError {
    return new ScimError(409, detail);
  }
  static preconditionFailed(detail: string): ScimError {
    return new ScimError(412, detail);
  }
  static payloadTooLarge(detail: string): ScimError {
    return new ScimError(413, detail);
  }
  static unsupportedMediaType(detail: string): ScimError {
    return new ScimError(415, detail);
  }
  static internal(detail: string): ScimError {
    return new ScimError(500, detail);
  }
  static notImplemented(detail: string): ScimError {
    return new ScimError(501, detail);
  }
}

// RFC 7644 §3.12: the error response body; `status` is a string.
export function toScimErrorBody(error: ScimError): ScimErrorBody {
  return {
    schemas: [SCIM_ERROR_SCHEMA],
    status: String(error.status),
    ...(error.scimType === undefined ? {} : { scimType: error.scimType }),
    detail: error.detail,
  };
}
