import type { Response } from "express";
import type { Principal } from "../auth/tokens.ts";

// The authenticated caller of a request, kept on the response by whichever surface's
// authentication accepted it, so that the request log and metrics name the tenant on every
// surface.
export function rememberPrincipal(res: Response, principal: Principal): void {
  res.locals.principal = principal;
}

export function principalOf(res: Response): Principal | undefined {
  return res.locals.principal as Principal | undefined;
}
