import { useEffect, useRef, useState } from "preact/hooks";
import { credential, onSessionChange, signOut } from "./session.ts";
import { href, Link, readRoute, useLocation, type Route } from "./router.tsx";
import { Activity } from "./pages/activity.tsx";
import { Deliveries } from "./pages/deliveries.tsx";
import { LogEntryPage } from "./pages/log-entry.tsx";
import { Log } from "./pages/log.tsx";
import { Resources } from "./pages/resources.tsx";
import { SignIn } from "./pages/sign-in.tsx";
import { Subscriptions } from "./pages/subscriptions.tsx";
import { TenantOverview } from "./pages/tenant.tsx";
import { Tenants } from "./pages/tenants.tsx";
import { TenantFrame } from "./tenant-frame.tsx";

// The console: the sign-in page until a credential is kept, then the page the URL names.
export function App() {
  const [signedIn, setSignedIn] = useState(() => credential() !== null);
  const [reason, setReason] = useState<string>();
  useEffect(
    () =>
      onSessionChange((why) => {
        setSignedIn(credential() !== null);
        setReason(why);
      }),
    [],
  );
  const location = useLocation();
  const route = readRoute(location.pathname);
  useEffect(() => {
    document.title = `${title(route)} · SCIM console`;
  });
  useFocusOnNavigation(location.pathname, signedIn);
  if (!signedIn) return <SignIn reason={reason} />;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link class="brand" href={href({ page: "tenants" })}>
          SCIM console
        </Link>
        <nav aria-label="Main">
          <Link href={href({ page: "tenants" })} aria-current={route.page === "tenants" ? "page" : undefined}>
            Tenants
          </Link>
        </nav>
        <button type="button" class="sign-out" onClick={() => signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} location={location} />
      </main>
    </>
  );
}

function Page(props: { readonly route: Route; readonly location: URL }) {
  const route = props.route;
  switch (route.page) {
    case "tenants":
      return <Tenants />;
    case "not-found":
      return (
        <>
          <h1 class="page-title" tabIndex={-1}>
            Not found
          </h1>
          <p>
            The console has no page at this address. <Link href={href({ page: "tenants" })}>Go to the tenants.</Link>
          </p>
        </>
      );
    default:
      return (
        <TenantFrame tenant={route.tenant} current={route.page}>
          <TenantPage route={route} location={props.location} />
        </TenantFrame>
      );
  }
}

function TenantPage(props: { readonly route: Exclude<Route, { page: "tenants" } | { page: "not-found" }>; readonly location: URL }) {
  const route = props.route;
  // Each tenant's pages start afresh: no state of one tenant's page stays on another's.
  switch (route.page) {
    case "tenant":
      return <TenantOverview key={route.tenant} tenant={route.tenant} />;
    case "users":
      return <Resources key={`${route.tenant}/Users`} tenant={route.tenant} kind="Users" location={props.location} />;
    case "groups":
      return <Resources key={`${route.tenant}/Groups`} tenant={route.tenant} kind="Groups" location={props.location} />;
    case "log":
      return <Log key={route.tenant} tenant={route.tenant} location={props.location} />;
    case "log-entry":
      return <LogEntryPage key={`${route.tenant}/${route.id}`} tenant={route.tenant} id={route.id} />;
    case "activity":
      return <Activity key={route.tenant} tenant={route.tenant} location={props.location} />;
    case "subscriptions":
      return <Subscriptions key={route.tenant} tenant={route.tenant} />;
    case "deliveries":
      return <Deliveries key={`${route.tenant}/${route.id}`} tenant={route.tenant} id={route.id} location={props.location} />;
  }
}

// After a move to another page (not a change of its filters), the keyboard starts at the new
// page's title, as after a page load.
function useFocusOnNavigation(pathname: string, signedIn: boolean) {
  const previous = useRef<string | undefined>(undefined);
  useEffect(() => {
    const moved = previous.current !== undefined && previous.current !== `${signedIn}${pathname}`;
    previous.current = `${signedIn}${pathname}`;
    if (moved) document.querySelector<HTMLElement>(".page-title")?.focus();
  }, [pathname, signedIn]);
}

function title(route: Route): string {
  switch (route.page) {
    case "tenants":
      return "Tenants";
    case "not-found":
      return "Not found";
    case "tenant":
      return route.tenant;
    case "users":
      return `Users · ${route.tenant}`;
    case "groups":
      return `Groups · ${route.tenant}`;
    case "log":
      return `Provisioning log · ${route.tenant}`;
    case "log-entry":
      return `Log entry · ${route.tenant}`;
    case "activity":
      return `Activity · ${route.tenant}`;
    case "subscriptions":
      return `Subscriptions · ${route.tenant}`;
    case "deliveries":
      return `Deliveries · ${route.tenant}`;
  }
}
