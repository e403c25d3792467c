/** FNV-1a, 32 bits, as 8 hex digits: a short, stable file name for a longer key (a path). Not for secrets. */
export function shortHash(text: string): string {
  let hash = 0x81_1c_9d_c5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01_00_01_93) >>> 0;
  return hash.toString(16).padStart(8, '0');
}
