import type { ComponentChildren, TargetedMouseEvent } from "preact";
import { useEffect, useState } from "preact/hooks";

// History routing under /admin: every page has a real URL (the server answers the console's HTML
// for any /admin/... path but /admin/v1 and /admin/assets), so links open in new tabs, reload
// and go back as links do.

export type Route =
  | { readonly page: "tenants" }
  | { readonly page: "tenant"; readonly tenant: string }
  | { readonly page: "users"; readonly tenant: string }
  | { readonly page: "groups"; readonly tenant: string }
  | { readonly page: "log"; readonly tenant: string }
  | { readonly page: "log-entry"; readonly tenant: string; readonly id: string }
  | { readonly page: "activity"; readonly tenant: string }
  | { readonly page: "subscriptions"; readonly tenant: string }
  | { readonly page: "deliveries"; readonly tenant: string; readonly id: string }
  | { readonly page: "not-found" };

export type TenantPage = Exclude<Route, { page: "tenants" } | { page: "not-found" }>["page"];

export function readRoute(pathname: string): Route {
  const parts = pathname.replace(/^\/admin\/?/, "").split("/").filter((part) => part !== "").map(decode);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === "tenants")) return { page: "tenants" };
  const [section, tenant, page, id, ...rest] = parts;
  if (section !== "tenants" || tenant === undefined || rest.length > 0) return { page: "not-found" };
  if (page === undefined) return { page: "tenant", tenant };
  if (id === undefined && (page === "users" || page === "groups" || page === "log" || page === "activity" || page === "subscriptions")) return { page, tenant };
  if (id !== undefined && page === "log") return { page: "log-entry", tenant, id };
  if (id !== undefined && page === "subscriptions") return { page: "deliveries", tenant, id };
  return { page: "not-found" };
}

export function href(route: Route): string {
  switch (route.page) {
    case "tenants":
    case "not-found":
      return "/admin";
    case "tenant":
      return `/admin/tenants/${encode(route.tenant)}`;
    case "users":
    case "groups":
    case "log":
    case "activity":
    case "subscriptions":
      return `/admin/tenants/${encode(route.tenant)}/${route.page}`;
    case "log-entry":
      return `/admin/tenants/${encode(route.tenant)}/log/${encode(route.id)}`;
    case "deliveries":
      return `/admin/tenants/${encode(route.tenant)}/subscriptions/${encode(route.id)}`;
  }
}

const changes = new Set<() => void>();

export function navigate(url: string, options: { readonly replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  for (const change of changes) change();
}

// The current URL; components using it render again when it changes.
export function useLocation(): URL {
  const [location, setLocation] = useState(() => new URL(window.location.href));
  useEffect(() => {
    const change = () => setLocation(new URL(window.location.href));
    changes.add(change);
    window.addEventListener("popstate", change);
    return () => {
      changes.delete(change);
      window.removeEventListener("popstate", change);
    };
  }, []);
  return location;
}

// The page's query with some parameters changed ("" removes one).
export function withQuery(location: URL, changed: Record<string, string>): string {
  const search = new URLSearchParams(location.search);
  for (const [name, value] of Object.entries(changed)) {
    if (value === "") search.delete(name);
    else search.set(name, value);
  }
  const text = search.toString();
  return `${location.pathname}${text === "" ? "" : `?${text}`}`;
}

interface LinkProps {
  readonly href: string;
  readonly children: ComponentChildren;
  readonly class?: string;
  readonly "aria-current"?: "page";
}

// An <a href> that navigates within the console on a plain click, and as any link otherwise
// (new tab, copy link address).
export function Link(props: LinkProps) {
  const follow = (event: TargetedMouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(props.href);
  };
  return <a {...props} onClick={follow} />;
}

function encode(part: string): string {
  return encodeURIComponent(part);
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
