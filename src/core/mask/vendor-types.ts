/** The shape of a vendor rule (vendor-rules.generated.ts holds the rules themselves). */

export interface VendorAllowlist {
  regexes: {source: string; flags: string}[];
  stopwords: string[];
}

export interface VendorRule {
  id: string;
  /** Lower-case words, one of which a line must hold for the rule to run on it; none: it runs on every line. */
  keywords: string[];
  source: string;
  flags: string;
  /** The capturing group holding the secret; 0: the whole match. */
  group: number;
  /** The least Shannon entropy (bits per character) of a secret; 0: any. */
  entropy: number;
  allow: (VendorAllowlist & {target: string})[];
}
