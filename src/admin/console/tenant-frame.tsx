import type { ComponentChildren } from "preact";
import { href, Link, type TenantPage } from "./router.tsx";

const sections: readonly { readonly page: "tenant" | "users" | "groups" | "log" | "activity" | "subscriptions"; readonly label: string }[] = [
  { page: "tenant", label: "Overview" },
  { page: "users", label: "Users" },
  { page: "groups", label: "Groups" },
  { page: "log", label: "Provisioning log" },
  { page: "activity", label: "Activity" },
  { page: "subscriptions", label: "Subscriptions" },
];

// What every page of one tenant shows above its own content: the tenant's name and its sections.
export function TenantFrame(props: { readonly tenant: string; readonly current: TenantPage; readonly children: ComponentChildren }) {
  const current = props.current === "log-entry" ? "log" : props.current === "deliveries" ? "subscriptions" : props.current;
  return (
    <>
      <p class="crumbs">
        <Link href={href({ page: "tenants" })}>Tenants</Link> <span aria-hidden="true">/</span> <span>{props.tenant}</span>
      </p>
      <nav aria-label="Tenant" class="tabs">
        <ul>
          {sections.map((section) => (
            <li key={section.page}>
              <Link
                href={href({ page: section.page, tenant: props.tenant })}
                aria-current={section.page === current ? "page" : undefined}
              >
                {section.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {props.children}
    </>
  );
}
