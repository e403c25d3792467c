export function startDetached(script: string, pidFile: string): number;
export function stop(pidFile: string): boolean;
export function portOpen(port: number): Promise<boolean>;
export function waitForPort(port: number, open?: boolean, timeoutMs?: number): Promise<boolean>;
export function freePort(): Promise<number>;
