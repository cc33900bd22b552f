// Timestamps for meta.created and meta.lastModified. Within one process each is later than the
// one before, even when two writes fall in the same millisecond: lists ordered by meta.created
// (the compat APIs' "oldest first") then keep the order resources were created in, and two
// consecutive writes of one resource never show the same lastModified. Under a sustained burst of
// more than 1000 writes a second the clock runs ahead by at most the burst's excess, and falls
// back to the wall clock as soon as the burst ends.
let last = 0;

export function writeTime(): Date {
  const wall = Date.now();
  last = wall > last ? wall : last + 1;
  return new Date(last);
}
