import { Router, type Request, type RequestHandler, type Response } from "express";
import { storableRequest } from "../../http/storable-text.ts";
import type { RequestContext } from "../../scim/context.ts";
import type { StoredUser } from "../../scim/ports.ts";
import { lenientJsonBody } from "../body.ts";
import type { CompatCore } from "../core.ts";
import { assertOrganization, callerOf, vyteAuth } from "./auth.ts";
import { readBatch, readRequest, teamCreate, teamUpdate, userRequest, type BatchResult, type UserRequest } from "./contract.ts";
import { VyteDirectory } from "./directory.ts";
import { settled, vyteErrorRenderer, vyteRouteNotFound } from "./errors.ts";
import { VyteTeams, type TeamView } from "./teams.ts";
import {
  isOrgAdmin, memberSummaryOf, organizationOf, userObjectIdOf, userResultOf, vyteTeamOf, vyteUserOf, type Organisation,
} from "./translate.ts";
import { VyteUsers } from "./users.ts";

// Vyte API v2 (docs/compat/vyte.md §1.2), mounted at /compat/vyte: users, teams, batch. Every
// route authenticates with the organisation's API key; answers are 200 JSON, errors
// {status, message}. The route table is at the end.
export function createVyteRouter(core: CompatCore): Router {
  const directory = new VyteDirectory(core);
  const teams = new VyteTeams(core, directory);
  const users = new VyteUsers(core, directory, teams);

  type UserWrite = (context: RequestContext, organisation: Organisation, request: UserRequest) => Promise<StoredUser>;

  // §5.4, §5.7 items: the idempotent upsert.
  const upsert: UserWrite = (context, organisation, request) => {
    assertOrganization(request.organization, organisation);
    return users.upsert(context, request);
  };
  // §5.8 items: a merge update of the user the item names.
  const update: UserWrite = async (context, organisation, request) => {
    assertOrganization(request.organization, organisation);
    return users.update(context, await users.identified(context, request), request);
  };

  // §5.1: the organisation, with the ids of its members and admins.
  const authTest: RequestHandler = async (_req, res) => {
    const { context, organisation } = callerOf(res);
    const members = await directory.linkedUsers(context);
    res.json(organizationOf(organisation, members.filter(isOrgAdmin).map(idOf), members.map(idOf)));
  };

  // §5.2
  const listUsers: RequestHandler = async (_req, res) => {
    const { context, organisation } = callerOf(res);
    res.json((await directory.linkedUsers(context)).map((user) => vyteUserOf(user, organisation)));
  };

  // §5.3
  const getUser: RequestHandler = async (req, res) => {
    const { context, organisation } = callerOf(res);
    res.json(vyteUserOf(await directory.linkedUser(context, idParam(req)), organisation));
  };

  // §5.4
  const postUser: RequestHandler = async (req, res) => {
    const { context, organisation } = callerOf(res);
    const request = readRequest(userRequest, req.body);
    const user = await upsert(context, organisation, request);
    res.json(userResultOf(user, organisation, request, signupLinkOf(context, user)));
  };

  // §5.5: a merge update.
  const putUser: RequestHandler = async (req, res) => {
    const { context, organisation } = callerOf(res);
    const request = readRequest(userRequest, req.body);
    assertOrganization(request.organization, organisation);
    const user = await users.update(context, await directory.linkedUser(context, idParam(req)), request);
    res.json(userResultOf(user, organisation, request, signupLinkOf(context, user)));
  };

  // §5.6: unlink; the answer is the organisation, its members abbreviated.
  const deleteUser: RequestHandler = async (req, res) => {
    const { context, organisation } = callerOf(res);
    await users.unlink(context, await directory.linkedUser(context, idParam(req)));
    const members = await directory.linkedUsers(context);
    const summaries = members.map((user) => memberSummaryOf(vyteUserOf(user, organisation)));
    res.json(organizationOf(organisation, members.filter(isOrgAdmin).map(idOf), summaries));
  };

  // §5.7, §5.8: items one by one, in order, each answered with its user or its error.
  const batch =
    (write: UserWrite): RequestHandler =>
    async (req, res) => {
      const { context, organisation } = callerOf(res);
      const results: BatchResult = [];
      for (const item of readBatch(req.body)) {
        results.push(
          await settled(core.logger, async () => {
            const request = readRequest(userRequest, item);
            const user = await write(context, organisation, request);
            return userResultOf(user, organisation, request, signupLinkOf(context, user));
          }),
        );
      }
      res.json(results);
    };

  // §5.9-§5.13
  const team = (view: TeamView, res: Response) => vyteTeamOf(view.group, callerOf(res).organisation, view.members);
  const listTeams: RequestHandler = async (_req, res) => {
    res.json((await teams.list(callerOf(res).context)).map((view) => team(view, res)));
  };
  const getTeam: RequestHandler = async (req, res) => {
    res.json(team(await teams.get(callerOf(res).context, idParam(req)), res));
  };
  const postTeam: RequestHandler = async (req, res) => {
    const { context, organisation } = callerOf(res);
    const body = readRequest(teamCreate, req.body);
    assertOrganization(body.organization, organisation);
    res.json(team(await teams.create(context, body), res));
  };
  const putTeam: RequestHandler = async (req, res) => {
    const { context, organisation } = callerOf(res);
    const body = readRequest(teamUpdate, req.body);
    assertOrganization(body.organization, organisation);
    res.json(team(await teams.update(context, idParam(req), body), res));
  };
  const deleteTeam: RequestHandler = async (req, res) => {
    await teams.remove(callerOf(res).context, idParam(req));
    res.json({ n: 1, ok: 1 });
  };

  const router = Router();
  router.use(storableRequest());
  router.use(vyteAuth(core));
  router.use(lenientJsonBody(core.settings.maxBodyBytes));
  router.get("/v2/auth/test", authTest);
  router.get("/v2/users", listUsers);
  router.post("/v2/users/batch", batch(upsert));
  router.put("/v2/users/batch", batch(update));
  router.put("/v2/users", batch(update)); // the reference's other name for it (§5.8)
  router.post("/v2/users", postUser);
  router.get("/v2/users/:id", getUser);
  router.put("/v2/users/:id", putUser);
  router.delete("/v2/users/:id", deleteUser);
  for (const teamsPath of ["/v2/teams", "/v2/team"]) {
    router.get(teamsPath, listTeams);
    router.post(teamsPath, postTeam);
    router.get(`${teamsPath}/:id`, getTeam);
    router.put(`${teamsPath}/:id`, putTeam);
    router.delete(`${teamsPath}/:id`, deleteTeam);
  }
  router.use(vyteRouteNotFound);
  router.use(vyteErrorRenderer(core.logger));
  return router;
}

function idParam(req: Request): string {
  return String(req.params.id);
}

function idOf(user: StoredUser): string {
  return userObjectIdOf(user) ?? user.id;
}

// §5.4 finish_signup_with: this server has no sign-up page of its own; the link is the user's
// SCIM resource, where an invitation flow would pick it up.
function signupLinkOf(context: RequestContext, user: StoredUser): string {
  return `${context.baseUrl}/Users/${user.id}`;
}
