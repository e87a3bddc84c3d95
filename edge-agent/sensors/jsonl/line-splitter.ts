/** Bytes → complete lines. A line longer than `maxLineBytes` is cut off and reported as too long. */
export class LineSplitter {
  #partial = '';
  #skipping = false;
  readonly #decoder = new TextDecoder('utf-8');
  /** Lines dropped for being too long. */
  tooLong = 0;

  constructor(private readonly maxLineBytes = 1 << 20) {}

  feed(chunk: Uint8Array): string[] {
    const text = this.#partial + this.#decoder.decode(chunk, { stream: true });
    const parts = text.split('\n');
    this.#partial = parts.pop() ?? '';
    const out: string[] = [];
    for (const p of parts) {
      if (this.#skipping) { this.#skipping = false; continue; }
      out.push(p.endsWith('\r') ? p.slice(0, -1) : p);
    }
    if (this.#partial.length > this.maxLineBytes) {
      if (!this.#skipping) this.tooLong += 1;
      this.#partial = '';
      this.#skipping = true;
    }
    return out;
  }

  /** The last line, when the source ended without a newline. */
  end(): string[] {
    const rest = this.#partial + this.#decoder.decode();
    this.#partial = '';
    return rest.trim() && !this.#skipping ? [rest] : [];
  }
}
