import { ModelResponseError } from "../../errors.js";

const SENTENCE_END = "。！？；\n";

/**
 * The end of the last complete sentence that cites a clause: the verifier
 * checks a sentence's figures against the clauses it cites, and a sentence
 * without a marker leans on the next one's, so text is only checked (and
 * shown) up to a cited sentence.
 */
export function verifiableEnd(text: string): number {
  let end = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (!SENTENCE_END.includes(text[i])) continue;
    if (/\[\d+\]/.test(text.slice(start, i + 1))) end = i + 1;
    start = i + 1;
  }
  return end;
}

export interface VerifiedStreamOptions {
  /** True when this text (a prefix of the answer, or all of it) may be shown. */
  check: (text: string) => boolean;
  /** Receives verified text only, in order. */
  emit: (text: string) => void;
  /** Beyond this the reply is refused and the call stopped. */
  maxCharacters: number;
}

/**
 * Holds a model's tokens back and releases them a verified sentence at a
 * time, so nothing a user sees while the model writes has skipped the checks
 * the finished answer gets. Once a prefix fails, nothing more is released.
 */
export class VerifiedStream {
  private text = "";
  private released = 0;
  private failed = false;

  constructor(private readonly options: VerifiedStreamOptions) {}

  push(token: string): void {
    this.text += token;
    if (this.text.length > this.options.maxCharacters)
      throw new ModelResponseError("too-long", `the model's answer passed ${this.options.maxCharacters} characters`);
    if (this.failed || !SENTENCE_END.split("").some((mark) => token.includes(mark))) return;
    const end = verifiableEnd(this.text);
    if (end <= this.released) return;
    if (!this.options.check(this.text.slice(0, end))) {
      this.failed = true;
      return;
    }
    this.options.emit(this.text.slice(this.released, end));
    this.released = end;
  }

  /** The whole answer passed: release what was held back after the last cited sentence. */
  finish(): void {
    if (this.failed || this.released >= this.text.length) return;
    this.options.emit(this.text.slice(this.released));
    this.released = this.text.length;
  }

  /** True when something shown as a draft will not be the answer. */
  get rejected(): boolean {
    return this.failed;
  }

  get emitted(): boolean {
    return this.released > 0;
  }
}
