/**
 * Keeps a bounded record of a stream: the first `headBytes` and the last `tailBytes`.
 * A deploy that prints megabytes costs at most head + tail of memory, and the part people
 * need (how it started, how it ended) is kept.
 */
export class OutputCapture {
  private readonly head: Buffer[] = [];
  private headSize = 0;
  private tail: Buffer[] = [];
  private tailSize = 0;
  private total = 0;

  constructor(
    private readonly headBytes = 64 * 1024,
    private readonly tailBytes = 256 * 1024,
  ) {}

  write(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headSize < this.headBytes) {
      const take = rest.subarray(0, this.headBytes - this.headSize);
      this.head.push(take);
      this.headSize += take.length;
      rest = rest.subarray(take.length);
    }
    if (rest.length === 0) return;
    this.tail.push(rest);
    this.tailSize += rest.length;
    // Drop whole leading chunks while the rest still covers the tail window; trim lazily in text().
    while (this.tail.length > 1 && this.tailSize - this.tail[0].length >= this.tailBytes) {
      this.tailSize -= this.tail[0].length;
      this.tail.shift();
    }
  }

  get totalBytes(): number {
    return this.total;
  }

  get truncated(): boolean {
    return this.total > this.headBytes + this.tailBytes;
  }

  /** The kept text; a marker line stands where bytes were dropped. */
  text(): string {
    let head = Buffer.concat(this.head).toString('utf8');
    let tail = Buffer.concat(this.tail);
    if (!this.truncated) return head + tail.toString('utf8');
    // End the head on a line boundary too: a secret cut in half would escape the masks.
    const lastNewline = head.lastIndexOf('\n');
    if (lastNewline >= 0 && head.length - lastNewline < 4096) head = head.slice(0, lastNewline + 1);
    tail = tail.subarray(tail.length - this.tailBytes);
    const dropped = this.total - this.headSize - tail.length;
    // Start the tail on a line boundary so the marker sits on its own line.
    const newline = tail.indexOf(10);
    const tailText = (newline >= 0 && newline < 4096 ? tail.subarray(newline + 1) : tail).toString('utf8');
    const separator = head.endsWith('\n') ? '' : '\n';
    return `${head}${separator}… ${dropped + (this.headSize - Buffer.byteLength(head)) + (tail.length - Buffer.byteLength(tailText))} bytes of output omitted …\n${tailText}`;
  }
}
