import { StoreUnavailableError } from "../../../errors.js";
import { isConnectionError } from "../../../store/connect.js";

/**
 * Runs a write to the staff tables; a lost database connection becomes
 * StoreUnavailableError, which the app answers with 503 and Retry-After, so a
 * client (or the console) tries again instead of reporting a bug (500).
 */
export async function duringOutage<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isConnectionError(error))
      throw new StoreUnavailableError(`could not ${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    throw error;
  }
}
