/**
 * A whole number with its thousands grouped (12,345), as en-US writes it. By hand: the first
 * `toLocaleString` of a process loads ICU's number formatting, which costs a command's startup more time
 * and memory than anything else it does to print a number.
 */
export function formatCount(value: number): string {
  if (!Number.isSafeInteger(value)) return String(value);
  const digits = String(Math.abs(value)).replaceAll(/\B(?=(?:\d{3})+$)/g, ',');
  return value < 0 ? `-${digits}` : digits;
}
