import type { Logger } from "pino";

// Some Vyte operations take several core writes (a user, then the teams of its body; an unlink
// leaves its teams, then the user). Each write records how to take it back; when a later one
// fails, those already made are taken back, newest first, and the failure is rethrown, so that
// a failed operation leaves no partial write, a password it set apart (docs/compat/vyte.md §6.6).
export class UndoLog {
  private readonly steps: Array<() => Promise<unknown>> = [];

  private constructor(private readonly logger: Logger) {}

  static async run<T>(logger: Logger, work: (undo: UndoLog) => Promise<T>): Promise<T> {
    const undo = new UndoLog(logger);
    try {
      return await work(undo);
    } catch (error) {
      await undo.rollBack();
      throw error;
    }
  }

  record(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }

  private async rollBack(): Promise<void> {
    for (const step of this.steps.reverse()) {
      await step().catch((error: unknown) => this.logger.error({ err: error }, "vyte: could not undo a write"));
    }
  }
}
