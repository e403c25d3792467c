/**
 * Time-ordered and unique across hosts: milliseconds in base 36, then 48 random bits. Ids need to be
 * unique, not secret: Math.random (seeded per process from the OS) spares loading node:crypto (~4 ms).
 */
export function newEntryId(now = Date.now()): string {
  const random = Math.floor(Math.random() * 2 ** 48);
  return `${now.toString(36).padStart(9, '0')}-${random.toString(16).padStart(12, '0')}`;
}
