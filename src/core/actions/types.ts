/** An action's or a command check's command: an argv list (no shell), or a string run with sh -c. */
export type CommandLine = string | string[];
