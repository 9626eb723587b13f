import { AppError } from "../errors.js";

/**
 * A tool was called with an argument it cannot use (an unknown measure, a place the knowledge base does not
 * cover). The message is in Chinese and names the argument, because an agent or a person reads it and tries again.
 */
export class PolicyInputError extends AppError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super("INPUT_INVALID", message, { userMessage: message });
    this.name = "PolicyInputError";
  }
}
