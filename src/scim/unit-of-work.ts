import type { GroupService } from "./groups.ts";
import type { UserService } from "./users.ts";

// The core's operations as one unit of work sees them: every write made through these is part of
// the unit.
export interface UnitServices {
  readonly users: UserService;
  readonly groups: GroupService;
}

// Several core writes that commit together or not at all: when `work` resolves, all of them
// are committed; when it throws, none is, and the error is rethrown. Reads inside `work` see its
// own writes. Writes through any other service than the one given do not belong to the unit.
export interface UnitOfWork {
  run<T>(work: (unit: UnitServices) => Promise<T>): Promise<T>;
}
