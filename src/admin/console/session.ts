// The admin credential lives in sessionStorage only: it is gone when the tab closes, and other
// tabs and origins never see it.

const key = "scim-console.credential";

type Listener = (reason: string | undefined) => void;
const listeners = new Set<Listener>();

export function credential(): string | null {
  return sessionStorage.getItem(key);
}

export function signIn(value: string): void {
  sessionStorage.setItem(key, value);
  for (const listener of listeners) listener(undefined);
}

// `reason` is shown on the sign-in page (a refused credential, say); none for a sign-out asked for.
export function signOut(reason?: string): void {
  sessionStorage.removeItem(key);
  for (const listener of listeners) listener(reason);
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}
