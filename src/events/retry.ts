// When an event whose delivery failed is tried again: after a delay that doubles with each
// attempt, from a second up to an hour, half of it fixed and half random so that events that
// failed together are not all retried together; never later than the end of its retry period,
// when it is tried a last time. Undefined once the period is over: the event is given up.

export const firstRetryMs = 1000;
export const longestRetryMs = 3_600_000;

// `attempts` made so far (this one included); the period runs for `retryForSeconds` from `since`.
export function nextAttemptAt(attempts: number, since: Date, now: Date, retryForSeconds: number, random: () => number): Date | undefined {
  const end = since.getTime() + retryForSeconds * 1000;
  if (now.getTime() >= end) return undefined;
  const delay = Math.min(firstRetryMs * 2 ** Math.max(0, attempts - 1), longestRetryMs);
  return new Date(Math.min(now.getTime() + delay / 2 + (random() * delay) / 2, end));
}
