import { useCallback, useEffect, useState } from "preact/hooks";
import { ApiError, call } from "./api.ts";

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: ApiError | undefined;
  readonly loading: boolean;
  reload(): void;
}

// GETs `path` (relative to /admin/v1) now and whenever it changes; an answer to a path the page
// has since left is dropped.
export function useLoad<T>(path: string): Loaded<T> {
  const [state, setState] = useState<{ path: string; data?: T; error?: ApiError; loading: boolean }>({ path, loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ path, data: previous.path === path ? previous.data : undefined, loading: true }));
    call<T>("GET", path).then(
      (data) => current && setState({ path, data, loading: false }),
      (error: unknown) => current && setState({ path, error: asApiError(error), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [path, round]);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  const fresh = state.path === path;
  return { data: fresh ? state.data : undefined, error: fresh ? state.error : undefined, loading: !fresh || state.loading, reload };
}

export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, "The server could not be reached. Check the connection and try again.", undefined);
}

export interface Submission {
  readonly busy: boolean;
  readonly error: ApiError | undefined;
  submit(event: Event): Promise<void>;
}

// A form's submission: `action` runs one at a time, and what it failed with is the form's error
// (told in the form's own words by `describe`).
export function useSubmit(action: () => Promise<void>, describe: (error: ApiError) => ApiError = (error) => error): Submission {
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (thrown) {
      setError(describe(asApiError(thrown)));
    }
    setBusy(false);
  };
  return { busy, error, submit };
}
