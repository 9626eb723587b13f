type TypedArray = Uint16Array | Int16Array | Uint32Array;
type TypedArrayOf<T extends TypedArray> = { new (length: number): T };

/** A typed array that doubles as it fills: a build's millions of postings without a JS array's 8 bytes each. */
export class Growable<T extends TypedArray> {
  private items: T;
  length = 0;

  constructor(
    private readonly make: TypedArrayOf<T>,
    capacity = 1024,
  ) {
    this.items = new make(capacity);
  }

  push(value: number): void {
    if (this.length === this.items.length) {
      const bigger = new this.make(this.items.length * 2);
      bigger.set(this.items as never);
      this.items = bigger;
    }
    this.items[this.length++] = value;
  }

  /** The filled part, in a buffer of its own (one that can be transferred). */
  take(): T {
    return this.items.slice(0, this.length) as T;
  }
}
