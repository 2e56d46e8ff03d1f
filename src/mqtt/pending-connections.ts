/**
 * Connections accepted but not yet authenticated, counted overall and per remote address, so
 * that what unauthenticated clients can hold is bounded (see connection-limits.ts).
 */
export class PendingConnections {
  private readonly byKey = new Map<string, string>();
  private readonly perAddress = new Map<string, number>();

  constructor(
    private readonly maxTotal: number,
    private readonly maxPerAddress: number,
  ) {}

  get size(): number {
    return this.byKey.size;
  }

  /** False when no slot is free: the caller closes the connection. */
  admit(key: string, address: string): boolean {
    if (this.byKey.has(key)) return true;
    const fromAddress = this.perAddress.get(address) ?? 0;
    if (this.byKey.size >= this.maxTotal || fromAddress >= this.maxPerAddress) return false;
    this.byKey.set(key, address);
    this.perAddress.set(address, fromAddress + 1);
    return true;
  }

  /** The connection authenticated or closed; releasing twice is harmless. */
  release(key: string): void {
    const address = this.byKey.get(key);
    if (address === undefined) return;
    this.byKey.delete(key);
    const left = (this.perAddress.get(address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(address, left);
    else this.perAddress.delete(address);
  }
}
