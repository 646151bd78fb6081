/** Errors of campaign commands (merge, trend), each a HarnessError with a stable code: printed as one line, exit 2. */
import { HarnessError } from '../core/errors.js';

/** An input of `merge` was refused (it does not verify, or does not belong with the others); nothing was written. */
export class MergeRefusedError extends HarnessError {
  constructor(message: string, hint?: string) {
    super('E_MERGE_INPUT', message, hint === undefined ? {} : { hint });
  }
}
