import type { Express } from "express";
import { match } from "path-to-regexp";

// The routes an app serves, read from its route tables once it is built: each route's full path
// template (mount paths joined, Express syntax such as /scim/v2/Users/:id) and the methods it
// answers. Express routers keep their layers in `stack`; a mounted router's layer carries the
// mount path as `rawPath`, a route's layer its Route with `path` and `methods`.

export interface RouteEntry {
  readonly path: string;
  // Upper-case methods, without the catch-all that answers 405 for the others.
  readonly methods: readonly string[];
  readonly caseSensitive: boolean;
}

interface Layer {
  readonly rawPath?: string | readonly string[];
  readonly route?: { readonly path: string | readonly string[]; readonly methods: Record<string, boolean> };
  readonly handle?: { readonly stack?: readonly Layer[]; readonly caseSensitive?: boolean };
}

export function routesOf(app: Express): RouteEntry[] {
  const router = (app as unknown as { router: { stack: readonly Layer[]; caseSensitive?: boolean } }).router;
  return walk(router.stack, "", router.caseSensitive === true);
}

// Express matches case-insensitively unless a router was made with caseSensitive: true.
function walk(stack: readonly Layer[], prefix: string, caseSensitive: boolean): RouteEntry[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const methods = Object.keys(layer.route.methods)
        .filter((method) => method !== "_all")
        .map((method) => method.toUpperCase());
      return paths(layer.route.path).map((path) => ({ path: join(prefix, path), methods, caseSensitive }));
    }
    const inner = layer.handle?.stack;
    if (!inner || layer.rawPath === undefined) return [];
    return paths(layer.rawPath).flatMap((mount) => walk(inner, join(prefix, mount), layer.handle?.caseSensitive === true));
  });
}

function paths(path: string | readonly string[]): readonly string[] {
  return typeof path === "string" ? [path] : path;
}

function join(prefix: string, path: string): string {
  const base = prefix === "/" ? "" : prefix;
  if (path === "/" || path === "") return base || "/";
  return `${base}${path}`;
}

// The route template a request path falls under, or undefined: used to label metrics with a
// bounded set of values rather than the paths clients send.
export function routeMatcher(routes: readonly RouteEntry[]): (path: string) => string | undefined {
  const matchers = routes.map((route) => ({
    path: route.path,
    test: match(route.path, { decode: false, sensitive: route.caseSensitive }),
  }));
  return (path) => matchers.find((matcher) => matcher.test(path) !== false)?.path;
}
