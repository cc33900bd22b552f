import type { ComponentChildren } from "preact";
import { useId, useRef, useState } from "preact/hooks";
import type { ApiError } from "./api.ts";

// The few pieces every page is built of.

// A value to paste into an identity provider, with a button that copies it.
export function CopyField(props: { readonly label: string; readonly value: string; readonly hint?: ComponentChildren }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [said, setSaid] = useState("");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.value);
      setSaid("Copied");
    } catch {
      // No clipboard outside a secure context (plain http to another host): select the text instead.
      input.current?.select();
      setSaid("Selected: press Ctrl+C (⌘C) to copy");
    }
  };
  return (
    <div class="copy-field">
      <label for={id}>{props.label}</label>
      <div class="copy-row">
        <input id={id} ref={input} readOnly value={props.value} spellcheck={false} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" onClick={copy} aria-label={`Copy ${props.label}`}>
          Copy
        </button>
      </div>
      {props.hint ? <p class="hint">{props.hint}</p> : null}
      <span class="copy-said" role="status">
        {said}
      </span>
    </div>
  );
}

export function ErrorNotice(props: { readonly error: ApiError | undefined }) {
  if (props.error === undefined) return null;
  return (
    <p class="notice error" role="alert">
      {props.error.detail}
      {props.error.scimType ? <span class="scim-type"> ({props.error.scimType})</span> : null}
    </p>
  );
}

export function Loading(props: { readonly when: boolean }) {
  return props.when ? (
    <p class="loading" role="status">
      Loading…
    </p>
  ) : null;
}

// A table that scrolls sideways inside its own box on a narrow screen; the box takes focus so the
// keyboard can scroll it.
export function TableBox(props: { readonly label: string; readonly children: ComponentChildren }) {
  return (
    <div class="table-box" role="region" aria-label={props.label} tabIndex={0}>
      <table>{props.children}</table>
    </div>
  );
}

export function Empty(props: { readonly columns: number; readonly children: ComponentChildren }) {
  return (
    <tr>
      <td colSpan={props.columns} class="empty">
        {props.children}
      </td>
    </tr>
  );
}
